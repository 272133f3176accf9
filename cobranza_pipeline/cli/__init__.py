"""The `cobranza` command (main.py); pipeline commands and server commands in their own modules."""
