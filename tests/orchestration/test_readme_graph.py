"""README "The asset graph" names assets exactly as the Dagster UI shows them."""

import re

from cobranza_pipeline.definitions import defs
from tests.orchestration.test_daemon_e2e import REPO_ROOT


def graph_block() -> str:
    section = (REPO_ROOT / "README.md").read_text().split("## The asset graph", 1)[1]
    return section.split("```", 2)[1]


def test_every_name_in_the_graph_is_an_asset_key_and_every_asset_is_named():
    named = set(re.findall(r"\b(?:public|canon|observational|ops)/[a-z0-9_]+", graph_block()))
    keys = {key.to_user_string() for key in defs.resolve_all_asset_keys()}
    assert named - keys == set()
    assert keys - named == set()
