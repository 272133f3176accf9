"""The local instance `cobranza materialize` and `cobranza ui` use bounds every run, however it
was started (README "Schedule and manual refresh"): run monitoring on, a max runtime for runs
without the tag, the same as the refresh jobs' tag."""

import yaml

from cobranza_pipeline.orchestration.jobs import MAX_RUNTIME_S, MAX_RUNTIME_TAGS
from cobranza_pipeline.orchestration.local_instance import local_instance
from tests.orchestration.test_daemon_e2e import REPO_ROOT


def test_the_local_instance_monitors_runs_and_bounds_each(tmp_path):
    instance = local_instance(tmp_path / "home")
    try:
        assert instance.run_monitoring_enabled
        assert instance.run_monitoring_max_runtime_seconds == MAX_RUNTIME_S == 3600
        assert MAX_RUNTIME_TAGS == {"dagster/max_runtime": "3600"}
    finally:
        instance.dispose()


def test_the_production_instance_bounds_every_run_the_same():
    config = yaml.safe_load((REPO_ROOT / "dagster.yaml").read_text())
    assert config["run_monitoring"] == {"enabled": True, "poll_interval_seconds": 30, "max_runtime_seconds": 3600}
