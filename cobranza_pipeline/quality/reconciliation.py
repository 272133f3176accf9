"""The incremental stage against a full recomputation, cheaply (README "Incremental pipeline")."""

from psycopg import sql

from cobranza_pipeline.quality.framework import CheckOutcome, fetch_one
from cobranza_pipeline.settings import Thresholds
from cobranza_pipeline.warehouse.sqlfiles import read_sql
from cobranza_pipeline.warehouse.staging import merge_statement, rows_of_drivers, summarize_statement

SAMPLE_DAYS, SAMPLE_SUMMARY = sql.Identifier("check_days"), sql.Identifier("check_summary")


def stage_reconciliation(conn, thresholds: Thresholds) -> CheckOutcome:
    """The staged trips equal a full recomputation: the recruited drivers and their lead dates
    equal ops.v_lead_dates; per lead week, the staged figures equal a recomputation from the
    staged days; and a sample of drivers (a new one each day), recomputed in one shot from every
    raw summary_daily row they have, equals their staged days and figures.

    When it fails: The incremental state no longer matches the raw data (rows loaded with a
    created_at older than the lookback, or a change the raw table's statistics did not show).
    Launch the full_rebuild job (or `cobranza materialize --full-refresh`); the previous MV keeps
    serving meanwhile.
    """
    parts = {
        "recruited_set": fetch_one(conn, "checks/stage_recruited_set.sql"),
        "weekly_totals": fetch_one(conn, "checks/stage_weekly_totals.sql"),
        "sample": sample_differences(conn, thresholds.stage_sample_drivers),
    }
    total = sum(part["violations"] for part in parts.values())
    sample_size = parts["sample"]["sample_size"]
    return CheckOutcome(
        passed=total == 0,
        severity="ERROR",
        value=total,
        threshold=0,
        description=(f"{total} differences from a full recomputation (threshold 0): "
                     f"{parts['recruited_set']['violations']} recruited drivers, "
                     f"{parts['weekly_totals']['violations']} lead weeks, "
                     f"{parts['sample']['violations']} of {sample_size} sampled drivers"),
        metadata={name: {"differences": part["violations"], "examples": list(part["examples"] or [])}
                  for name, part in parts.items()} | {"sample_size": sample_size},
    )


def sample_differences(conn, sample_size: int) -> dict:
    """Recompute the day's sample with the staging rule into temporary tables, compare, and
    roll everything back."""
    with conn.transaction(force_rollback=True):
        conn.execute(read_sql("checks/stage_sample_drivers.sql"), {"sample_size": sample_size})
        conn.execute(read_sql("checks/stage_sample.sql"))
        merge = merge_statement(rows_of_drivers(sql.Identifier("stage_rebuild")), SAMPLE_DAYS,
                                sql.Identifier("stage_changed"), sql.Identifier("check_unparseable"))
        conn.execute(merge, {"since": None, "record_unparseable": False, "record_changed": False})
        conn.execute(summarize_statement(SAMPLE_DAYS, SAMPLE_SUMMARY))
        return fetch_one(conn, "checks/stage_sample_differences.sql")
