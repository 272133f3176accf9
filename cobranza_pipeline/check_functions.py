"""The checks that need more than a violation count: coverage, sums, indexes, latency,
freshness and definition drift. Each docstring is the check's description in the UI."""

import statistics
import time
from decimal import Decimal

from psycopg import sql

from cobranza_pipeline.catalog import MATERIALIZED_VIEWS, OPS_OBJECTS
from cobranza_pipeline.check_framework import (
    CheckOutcome,
    Thresholds,
    fetch_all,
    fetch_one,
)
from cobranza_pipeline.dashboard import Filters
from cobranza_pipeline.matview import (
    MaterializedViewSpec,
    missing_or_invalid_indexes,
    read_state,
)
from cobranza_pipeline.sqlfiles import read_query, read_sql, sha256_of
from cobranza_pipeline.views import recorded_and_current


def scout_coverage(conn, thresholds: Thresholds) -> CheckOutcome:
    """Share of MV rows with a scout: ERROR below the error threshold (90 %), WARN below the
    warn threshold (95 %); an empty MV fails."""
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
    for all rows and for rows with debt > 0."""
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
    columns that REFRESH ... CONCURRENTLY needs."""
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


def latency_probes(conn) -> list[tuple[str, str, dict]]:
    values = fetch_one(conn, "checks/latency_probe_values.sql")
    table = "queries/cabinet_table.sql"

    def page(**filters) -> dict:  # the table endpoint's first page with those filters
        return {**Filters(**filters).params(), "limit": 200, "offset": 0}

    return [
        ("debt_m25_latest_leads", "queries/debt_m25_latest_leads.sql", {}),
        ("debt_latest_week", "queries/debt_latest_week.sql", {}),
        ("table_unfiltered", table, page()),
        ("table_only_with_debt", table, page(only_with_debt=True)),
        ("table_min_debt", table, page(min_debt=Decimal("100"))),
        ("table_band_m1", table, page(reached_milestone="m1")),
        ("table_band_m5", table, page(reached_milestone="m5")),
        ("table_band_m25", table, page(reached_milestone="m25")),
        ("table_scout_id", table, page(scout_id=values["scout_id"])),
        ("table_week_start", table, page(week_start=values["week_start"])),
    ]


def _indexes_in_plan(node: dict) -> list[str]:
    found = [node["Index Name"]] if "Index Name" in node else []
    for child in node.get("Plans", []):
        found += _indexes_in_plan(child)
    return found


def query_latency(conn, thresholds: Thresholds, repeats: int = 3) -> CheckOutcome:
    """The dashboard's typical queries each run under the latency threshold (300 ms; median of
    3 runs, fetch included); WARN above it, ERROR above 3 times it. The plan's indexes are
    recorded."""
    timings, plans = {}, {}
    for name, sql_file, params in latency_probes(conn):
        query = read_query(sql_file)
        runs = []
        for _ in range(repeats):
            started = time.perf_counter()
            conn.execute(query, params).fetchall()
            runs.append((time.perf_counter() - started) * 1000)
        timings[name] = round(statistics.median(runs), 2)
        plan = conn.execute(sql.SQL("explain (format json) ") + query, params).fetchone()[0]
        plans[name] = sorted(set(_indexes_in_plan(plan[0]["Plan"]))) or ["(sequential scan)"]
    slowest = max(timings, key=timings.get)
    worst = timings[slowest]
    limit = thresholds.query_latency_ms
    return CheckOutcome(
        passed=worst <= limit,
        severity="ERROR" if worst > 3 * limit else "WARN",
        value=worst,
        threshold=limit,
        description=f"slowest dashboard query {slowest} took {worst} ms (threshold {limit:g} ms)",
        metadata={"median_ms": timings, "indexes_used": plans},
    )


def mv_freshness(conn, thresholds: Thresholds, spec: MaterializedViewSpec = MATERIALIZED_VIEWS[0]) -> CheckOutcome:
    """The MV's last successful refresh (ops.mv_refresh_log) is within the freshness window
    (26 h)."""
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
    records matches the repository, and its deparsed definition was not edited by hand."""
    drifted = {}
    for obj in OPS_OBJECTS:
        recorded, current = recorded_and_current(conn, obj)
        problem = _drift_problem(recorded, current, sha256_of(read_sql(obj.sql_file)))
        if problem:
            drifted[obj.qualified_name] = problem
    for spec in MATERIALIZED_VIEWS:
        state = read_state(conn, spec)
        recorded = {"sha256": state.fingerprint, "deparsed": state.deparsed_sha256} if state.exists else {}
        problem = _drift_problem(recorded, state.current_deparsed_sha256, spec.fingerprint)
        if problem:
            drifted[spec.qualified_name] = problem
    total = len(OPS_OBJECTS) + len(MATERIALIZED_VIEWS)
    return CheckOutcome(
        passed=not drifted,
        severity="ERROR",
        value=len(drifted),
        threshold=0,
        description=f"{len(drifted)} of {total} database objects differ from sql/ (threshold 0)"
        + (f": {', '.join(sorted(drifted))}" if drifted else ""),
        metadata={"drifted": drifted},
    )


def _drift_problem(recorded: dict, current_deparsed: str | None, repo_sha: str) -> str | None:
    if current_deparsed is None:
        return "missing in the database"
    if recorded.get("sha256") != repo_sha:
        return "built from a different version of its SQL file"
    if recorded.get("deparsed") != current_deparsed:
        return "edited in the database by hand"
    return None
