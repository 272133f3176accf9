"""`python -m cobranza_pipeline.cli`: the same as the `cobranza` command."""

import sys

from cobranza_pipeline.cli.main import main

sys.exit(main())
