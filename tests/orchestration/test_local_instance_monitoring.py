"""The local instance `cobranza materialize` and `cobranza ui` use bounds every run, however it
was started (README "Schedule and manual refresh"): run monitoring on, a max runtime for runs
without the tag, the same as the refresh jobs' tag."""

import yaml
from dagster import QueuedRunCoordinator

from cobranza_pipeline.orchestration.jobs import MAX_RUNTIME_S, MAX_RUNTIME_TAGS
from cobranza_pipeline.orchestration.local_instance import LOCAL_INSTANCE_YAML, WRITTEN_BY_COBRANZA, local_instance
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


def test_the_local_instance_starts_runs_at_once_and_replaces_only_its_own_older_config(tmp_path):
    """No daemon is needed for `cobranza materialize`: runs are not queued. A dagster.yaml an
    earlier version wrote (first line ours) is replaced; one somebody else wrote is kept."""
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.mkdir()
    theirs.mkdir()
    (ours / "dagster.yaml").write_text(f"{WRITTEN_BY_COBRANZA}\ntelemetry:\n  enabled: false\n")
    (theirs / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    for home in (ours, theirs):
        local_instance(home).dispose()
    assert (ours / "dagster.yaml").read_text() == LOCAL_INSTANCE_YAML
    assert (theirs / "dagster.yaml").read_text() == "telemetry:\n  enabled: false\n"
    instance = local_instance(ours)
    try:
        assert not isinstance(instance.run_coordinator, QueuedRunCoordinator)  # launched runs start at once
    finally:
        instance.dispose()
