"""The checks that need more than a violation count: coverage, sums, indexes, freshness and
definition drift (the latency check is latency.py). Each docstring is the check's
description in the UI."""

from decimal import Decimal

from cobranza_pipeline.quality.framework import CheckOutcome, fetch_all, fetch_one
from cobranza_pipeline.settings import Thresholds
from cobranza_pipeline.warehouse import name_cache, staging
from cobranza_pipeline.warehouse.catalog import MATERIALIZED_VIEWS, NAME_CACHE, OPS_OBJECTS, TRIP_STAGE
from cobranza_pipeline.warehouse.fingerprints import drift
from cobranza_pipeline.warehouse.matview.spec import MaterializedViewSpec
from cobranza_pipeline.warehouse.matview.state import missing_or_invalid_indexes, read_state
from cobranza_pipeline.warehouse.sql_objects import file_sha256, recorded_state
from cobranza_pipeline.warehouse.staging import stage_drift


def scout_coverage(conn, thresholds: Thresholds) -> CheckOutcome:
    """Share of MV rows with a scout: ERROR below the error threshold (90 %), WARN below the
    warn threshold (95 %); an empty MV fails.

    When it fails: Look at missing_identity (drivers with no 'drivers' identity link: fix
    canon.identity_links) and no_source_match (persons with no scout evidence: check
    lead_ledger/lead_events loads), then re-run the 'scout attribution changed' refresh.
    top_missing_with_milestone lists who to chase first.
    """
    stats = fetch_one(conn, "checks/scout_coverage.sql")
    pct = stats["pct_with_scout"]
    metadata = {
        **stats,
        "bucket_distribution": {r["bucket"]: r["rows"] for r in fetch_all(conn, "checks/scout_bucket_distribution.sql")},
        "top_missing_with_milestone": fetch_all(conn, "checks/top_missing_scout_with_milestone.sql"),
    }
    error_at, warn_at = thresholds.scout_coverage_error_pct, thresholds.scout_coverage_warn_pct
    if pct is None:
        return CheckOutcome(False, "ERROR", None, error_at, "the MV has no rows: scout coverage cannot pass", metadata)

    def below(threshold_pct: Decimal) -> bool:  # exact: the counts, not the 2-decimal percentage
        return stats["with_scout"] * 100 < threshold_pct * stats["total_rows"]

    severity = "ERROR" if below(error_at) else "WARN"
    threshold = error_at if below(error_at) else warn_at
    return CheckOutcome(
        passed=not below(warn_at),
        severity=severity,
        value=pct,
        threshold=threshold,
        description=f"{pct} % of {stats['total_rows']} rows have a scout (threshold {threshold} %)",
        metadata=metadata,
    )


def weekly_vs_global(conn, thresholds: Thresholds) -> CheckOutcome:
    """Sum over weeks of debt and of rows equals the global sums exactly (NUMERIC, tolerance 0),
    for all rows and for rows with debt > 0.

    When it fails: Rows fall out of the weekly totals (NULL week_start) or are counted twice.
    Run week_start_not_null and one_row_per_driver; do not publish weekly KPIs until this
    passes.
    """
    scopes = {row.pop("scope"): row for row in fetch_all(conn, "checks/weekly_vs_global.sql")}
    mismatches = {
        scope: {"rows_difference": r["global_rows"] - r["weekly_rows"], "debt_difference": r["global_debt"] - r["weekly_debt"]}
        for scope, r in scopes.items()
        if r["global_rows"] != r["weekly_rows"] or r["global_debt"] != r["weekly_debt"]
    }
    worst = max((abs(m["debt_difference"]) for m in mismatches.values()), default=Decimal("0"))
    described = "; ".join(
        f"{scope}: rows {m['rows_difference']:+d}, debt {m['debt_difference']:+}" for scope, m in mismatches.items()
    )
    return CheckOutcome(
        passed=not mismatches,
        severity="ERROR",
        value=worst,
        threshold=Decimal("0"),
        description=(f"weekly sums differ from global sums ({described}); tolerance 0" if mismatches
                     else "weekly sums equal global sums for all rows and for rows with debt (tolerance 0)"),
        metadata={"scopes": scopes, "mismatches": mismatches},
    )


def required_indexes(conn, thresholds: Thresholds, spec: MaterializedViewSpec = MATERIALIZED_VIEWS[0]) -> CheckOutcome:
    """Every declared index of the MV exists and is valid, including the unique index on plain
    columns that REFRESH ... CONCURRENTLY needs.

    When it fails: Re-materialize the MV: a missing or invalid index triggers a rebuild that
    restores every index.
    """
    state = read_state(conn, spec)
    missing = missing_or_invalid_indexes(spec, state) if state.exists else [i.name for i in spec.indexes]
    concurrent_ready = any(
        info["is_valid"] and info["is_unique"] and info["is_plain"] for info in state.indexes.values()
    )
    passed = not missing and concurrent_ready
    return CheckOutcome(
        passed=passed,
        severity="ERROR",
        value=len(missing),
        threshold=0,
        description=(
            f"{len(missing)} of {len(spec.indexes)} required indexes missing or invalid"
            + (f": {', '.join(missing)}" if missing else "")
            + ("" if concurrent_ready else "; no valid unique plain index for CONCURRENTLY")
        ),
        metadata={"missing_or_invalid": missing, "present": sorted(state.indexes), "concurrent_ready": concurrent_ready},
    )


def mv_freshness(conn, thresholds: Thresholds, spec: MaterializedViewSpec = MATERIALIZED_VIEWS[0]) -> CheckOutcome:
    """The MV's last successful refresh (ops.mv_refresh_log) is within the freshness window
    (26 h).

    When it fails: The MV was not refreshed successfully in the window: read the last rows of
    ops.mv_refresh_log for the error, check the daemon and the 02:00 schedule, then `cobranza
    materialize`.
    """
    row = fetch_one(conn, "checks/mv_freshness.sql", {"mv_name": spec.qualified_name})
    hours = row["hours_since"]
    window = thresholds.freshness_hours
    passed = hours is not None and hours <= Decimal(str(window))
    return CheckOutcome(
        passed=passed,
        severity="ERROR",
        value=hours,
        threshold=window,
        description=(f"last successful refresh {hours} h ago (threshold {window:g} h)" if hours is not None
                     else f"no successful refresh recorded for {spec.qualified_name} (threshold {window:g} h)"),
        metadata={"last_success": row["last_success"]},
    )


def definition_drift(conn, thresholds: Thresholds) -> CheckOutcome:
    """Every ops view, function and MV in the database is the one in sql/: the file hash it
    records matches the repository, and its deparsed definition was not edited by hand.

    When it fails: Someone changed a view in the database or the repo changed: re-materialize
    the daily job to apply sql/.
    """
    problems = {obj.qualified_name: drift(recorded_state(conn, obj), file_sha256(obj)) for obj in OPS_OBJECTS}
    problems[TRIP_STAGE.qualified_name] = stage_drift(conn, staging.STAGE, staging.definition_sha256())
    problems[NAME_CACHE.qualified_name] = stage_drift(conn, name_cache.STAGE, name_cache.definition_sha256())
    problems.update({spec.qualified_name: drift(read_state(conn, spec).recorded, spec.fingerprint)
                     for spec in MATERIALIZED_VIEWS})
    drifted = {name: problem for name, problem in problems.items() if problem}
    return CheckOutcome(
        passed=not drifted,
        severity="ERROR",
        value=len(drifted),
        threshold=0,
        description=f"{len(drifted)} of {len(problems)} database objects differ from sql/ (threshold 0)"
        + (f": {', '.join(sorted(drifted))}" if drifted else ""),
        metadata={"drifted": drifted},
    )
