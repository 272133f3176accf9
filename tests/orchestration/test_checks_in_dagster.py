"""The validation suite where it runs: as Dagster asset checks in the daily job (all 17 in the
same run, blocking ones failing the run) and as `cobranza validate` (JSON report, exit code)."""

import json

from cobranza_pipeline.cli.main import main
from cobranza_pipeline.orchestration.jobs import CHECKS_JOB_NAME
from cobranza_pipeline.quality.suite import CHECKS
from tests.support.check_fixtures import (
    BLOCKING,
    CHECK_NAMES,
    add_fleet,
    add_migration,
    built_fleet,
    duplicate_view_rows,
)
from tests.support.jobs import run_job


def evaluations(result) -> dict:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def report_metadata(result) -> dict:
    [materialization] = result.asset_materializations_for_node("ops__validation_report")
    return {name: value.value for name, value in materialization.metadata.items()}


def add_conflict(conn, persons):
    # D01's ledger names scout 101; a migration names 999: one conflict (WARN), ledger stays canonical
    add_migration(conn, 1, "D01", 999, persons["D01"])


def test_daily_job_evaluates_all_21_checks_in_the_same_run(conn, db_url):
    add_fleet(conn)  # 10 drivers, all scouted: every check passes
    result = run_job()
    assert result.success
    evaluated = evaluations(result)
    assert len(result.get_asset_check_evaluations()) == 21
    assert set(evaluated) == set(CHECK_NAMES) and len(CHECK_NAMES) == 21
    assert {name for name, e in evaluated.items() if not e.passed} == set()
    assert evaluated["scout_coverage"].metadata["value"].value == "100.00"
    assert evaluated["scout_coverage"].description == "100.00 % of 10 rows have a scout (threshold 95 %)"
    coverage = evaluated["scout_coverage"].metadata
    # the exact text for reports and alerts, a float twin the UI plots, the outcome in words
    assert (type(coverage["value_number"]).__name__, coverage["value_number"].value) == ("FloatMetadataValue", 100.0)
    assert coverage["threshold_number"].value == 95.0 and coverage["outcome"].value == "PASS"
    metadata = report_metadata(result)
    assert (metadata["status"], metadata["checks_passed"], metadata["checks_warned"], metadata["checks_failed"]) == (
        "passed", 21, 0, 0)
    assert [c["name"] for c in metadata["report"]["checks"]] == CHECK_NAMES


def test_blocking_checks_are_the_grain_and_weekly_ones(conn, db_url):
    assert {spec.name for spec in CHECKS if spec.blocking} == BLOCKING
    add_fleet(conn)
    evaluated = evaluations(run_job())
    assert {name for name, e in evaluated.items() if e.blocking} == BLOCKING


def test_a_warn_failure_does_not_fail_the_run(conn, db_url):
    add_conflict(conn, add_fleet(conn))
    result = run_job()
    assert result.success
    conflicts = evaluations(result)["attribution_conflicts"]
    assert (conflicts.passed, conflicts.severity.value) == (False, "WARN")
    assert conflicts.metadata["value"].value == 1
    assert conflicts.metadata["outcome"].value == "WARN"  # the UI's own word for it is "Failed"
    assert {name for name, e in evaluations(result).items() if not e.passed} == {"attribution_conflicts"}
    metadata = report_metadata(result)
    assert (metadata["status"], metadata["checks_warned"], metadata["checks_failed"]) == ("warned", 1, 0)


def test_a_blocking_failure_fails_the_run(conn, db_url):
    add_fleet(conn)
    assert run_job().success
    persons_twice = "scout_id in (101, 102)"  # D01 and D02: 2 persons with two canonical rows
    duplicate_view_rows(conn, "ops.v_scout_attribution", persons_twice)
    result = run_job(CHECKS_JOB_NAME)
    assert not result.success
    evaluated = evaluations(result)
    grain = evaluated["one_row_per_person"]
    assert (grain.passed, grain.severity.value, grain.blocking) == (False, "ERROR", True)
    assert grain.metadata["value"].value == 2
    assert set(evaluated) == set(CHECK_NAMES)  # the other checks still ran
    # only the blocking check's step fails the run; definition_drift (not blocking) saw the edit too
    assert [e.step_key for e in result.all_events if e.is_step_failure] == ["ops__v_scout_attribution_one_row_per_person"]
    drift = evaluated["definition_drift"]
    assert (drift.passed, drift.blocking) == (False, False)
    assert "ops.v_scout_attribution" in drift.metadata["drifted"].value


def test_validate_cli_writes_the_report_and_exits_0_with_warnings(conn, db_url, tmp_path, capsys):
    add_conflict(conn, built_fleet(conn, db_url))
    out = tmp_path / "r.json"
    assert main(["validate", "--output", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["timestamp"].endswith("+00:00")
    assert (report["status"], report["counts"]) == ("warned", {"pass": 20, "warn": 1, "fail": 0})
    checks = {c["name"]: c for c in report["checks"]}
    assert [c["name"] for c in report["checks"]] == CHECK_NAMES
    for check in checks.values():
        assert {"status", "severity", "value", "threshold", "metadata", "description"} <= set(check)
    assert (checks["attribution_conflicts"]["status"], checks["attribution_conflicts"]["value"]) == ("warn", 1)
    # Decimals are exact text in JSON: 10 of 10 scouted, 405.00 owed in both scopes
    assert (checks["scout_coverage"]["value"], checks["scout_coverage"]["threshold"]) == ("100.00", "95")
    assert checks["weekly_sums_equal_global"]["metadata"]["scopes"]["all"]["global_debt"] == "405.00"
    assert "WARN" in capsys.readouterr().out


def test_validate_cli_exits_1_when_an_error_check_fails(conn, db_url, tmp_path):
    built_fleet(conn, db_url)
    conn.execute("drop index ops.idx_mv_cobranza_enriched_week_start")
    out = tmp_path / "r.json"
    assert main(["validate", "--output", str(out)]) == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["status"] == "failed" and report["counts"]["fail"] == 1
    indexes = next(c for c in report["checks"] if c["name"] == "required_indexes")
    assert (indexes["status"], indexes["severity"], indexes["value"]) == ("fail", "ERROR", 1)
    assert indexes["metadata"]["missing_or_invalid"] == ["idx_mv_cobranza_enriched_week_start"]
