"""The staged trips of the recruited drivers, kept current from the day's change.

One staging run, in one transaction under an advisory lock: read the raw table's integrity
markers and the stage's state; decide full or incremental; recompute the recruited set (cheap:
leads and their links); drop and backfill from raw the drivers that entered it or whose lead
date moved; merge the raw rows that arrived since the watermark (less a lookback, for loads
that commit late); recompute the 14-day figures of the drivers whose figures can have changed;
record the new watermark and markers beside the data. A full rebuild (first run, a changed
definition, rows updated or deleted in the raw table, statistics reset, or on request) empties
the staged tables, backfills every recruited driver from raw and records the unparseable rows of
the whole raw table. README "Incremental pipeline" has the design.
"""

import datetime as dt
import logging
import time
from dataclasses import dataclass

from psycopg import sql

from cobranza_pipeline.warehouse.sessions import Database
from cobranza_pipeline.warehouse.sqlfiles import read_sql, sha256_of, statement

STAGE = "trip_days"
LOCK = {"lock_class": 0x636F73, "lock_key": 1}  # 'cos': one staging run at a time
# What the staged rows are computed with: a change in any of these rebuilds the stage.
DEFINITION_FILES = (
    "staging/tables.sql", "staging/recruited.sql", "staging/rebuild_set.sql", "staging/rows_since.sql",
    "staging/rows_of_drivers.sql", "staging/merge_days.sql", "staging/summarize.sql", "staging/date_files.sql",
    "staging/unparseable_all.sql", "staging/day_wins.sql", "staging/days_indexes_drop.sql",
    "staging/days_indexes.sql", "ops/parse_date_file.sql", "ops/v_milestone_amounts.sql",
)
DAYS = sql.Identifier("ops", "stg_trip_days")
SUMMARY = sql.Identifier("ops", "stg_driver_trips_14d")
UNPARSEABLE = sql.Identifier("ops", "stg_unparseable_rows")
CHANGED = sql.Identifier("stage_changed")


@dataclass(frozen=True)
class StageSettings:
    full_refresh: bool = False
    lookback_hours: float = 48.0  # rows committed up to this long after their created_at are caught
    statement_timeout_s: float = 1800.0
    lock_timeout_s: float = 30.0
    work_mem_mb: int = 256
    random_page_cost: float = 1.1  # SessionSettings.random_page_cost says why


@dataclass(frozen=True)
class StageOutcome:
    mode: str  # full | incremental
    reason: str
    rows_read: int
    drivers_backfilled: int
    days_merged: int
    drivers_recomputed: int
    unparseable_recorded: int
    high_water: dt.datetime | None
    recruited_drivers: int
    duration_ms: int


def definition_sha256() -> str:
    return sha256_of(*(read_sql(path) for path in DEFINITION_FILES))


def refresh_trip_stage(db: Database, settings: StageSettings = StageSettings(),
                       log: logging.Logger | None = None) -> StageOutcome:
    log = log or logging.getLogger(__name__)
    started = time.monotonic()
    with db.connect(application_name="cobranza-stage trip_days", statement_timeout_s=settings.statement_timeout_s,
                    lock_timeout_s=settings.lock_timeout_s, work_mem_mb=settings.work_mem_mb,
                    random_page_cost=settings.random_page_cost) as conn:
        with conn.transaction():
            conn.execute(read_sql("staging/lock.sql"), LOCK)
            conn.execute(read_sql("staging/tables.sql"))
            markers = _one(conn, "staging/source_markers.sql", {})
            state = _one(conn, "staging/state_read.sql", {"stage": STAGE})
            reason = full_rebuild_reason(state, markers, settings.full_refresh)
            mode = "full" if reason else "incremental"
            log.info("staging %s: %s%s", STAGE, mode, f" ({reason})" if reason else "")
            if reason:
                conn.execute(read_sql("staging/truncate.sql"))
                conn.execute(read_sql("staging/days_indexes_drop.sql"))
            for path in ("staging/recruited.sql", "staging/rebuild_set.sql", "staging/changed_days.sql"):
                conn.execute(read_sql(path))
            backfilled = _one(conn, "staging/rebuild_count.sql", {})["drivers"]
            # After a truncate every recruited driver is in the rebuild set: a full rebuild is
            # this backfill, plus the census of unparseable rows of the whole raw table.
            backfill = _merge(conn, rows_of_drivers(sql.Identifier("stage_rebuild")), since=None, record=False,
                              load=bool(reason)) if backfilled else {"days_merged": 0}
            previous = None if reason else state["high_water"]
            if reason:
                conn.execute(read_sql("staging/days_indexes.sql"))
                conn.execute(read_sql("staging/date_files.sql"))
                delta = {**_one(conn, "staging/unparseable_all.sql", {}), "days_merged": backfill["days_merged"]}
            else:
                since = previous - dt.timedelta(hours=settings.lookback_hours) if previous else None
                delta = _merge(conn, statement("staging/rows_since.sql"), since=since, record=True)
            recomputed = conn.execute(summarize_statement(DAYS, SUMMARY)).fetchone()[0]
            recruited = _one(conn, "staging/recruited_count.sql", {})["drivers"]
            high_water = max(filter(None, [previous, delta["newest_created_at"]]), default=None)
            conn.execute(read_sql("staging/state_write.sql"), {
                "stage": STAGE, "definition_sha256": definition_sha256(), "high_water": high_water, "mode": mode,
                **{key: markers[key] for key in ("source_oid", "source_relfilenode", "source_updates",
                                                 "source_deletes", "stats_reset")},
            })
    return StageOutcome(mode, reason or "", delta["rows_read"], backfilled, delta["days_merged"], recomputed,
                        delta["unparseable_recorded"], high_water, recruited, int((time.monotonic() - started) * 1000))


def stage_drift(conn, stage: str, expected_sha256: str) -> str | None:
    """None when a stage's tables were built with the repository's definition; else why not
    (its next run rebuilds them; the drift check says so meanwhile)."""
    exists = _one(conn, "staging/exists.sql", {})["exists"]
    state = _one(conn, "staging/state_read.sql", {"stage": stage}) if exists else None
    if state is None:
        return "missing in the database"
    if state["definition_sha256"] != expected_sha256:
        return "built from a different version of its SQL file"
    return None


def full_rebuild_reason(state: dict | None, markers: dict | None, requested: bool) -> str | None:
    """Why the stage cannot follow the change this time, or None when it can."""
    if requested:
        return "requested"
    if state is None:
        return "first run"
    if state["definition_sha256"] != definition_sha256():
        return "the staging definition changed"
    if markers is None or not markers["track_counts"]:
        return "the raw table's statistics are unavailable (track_counts off)"
    if (markers["source_oid"], markers["source_relfilenode"]) != (state["source_oid"], state["source_relfilenode"]):
        return "public.summary_daily was truncated, rewritten or replaced"
    if markers["stats_reset"] != state["stats_reset"]:
        return "the database's statistics were reset"
    updates, deletes = markers["source_updates"] or 0, markers["source_deletes"] or 0
    if updates < (state["source_updates"] or 0) or deletes < (state["source_deletes"] or 0):
        return "the raw table's statistics went back"
    if updates > (state["source_updates"] or 0) or deletes > (state["source_deletes"] or 0):
        return (f"rows were updated ({updates - (state['source_updates'] or 0)}) or deleted "
                f"({deletes - (state['source_deletes'] or 0)}) in public.summary_daily")
    return None


def merge_statement(source_rows: sql.Composable, days: sql.Identifier, changed: sql.Identifier,
                    unparseable: sql.Identifier, load: bool = False) -> sql.Composed:
    """merge_days.sql over the given tables: the stage's own, or the reconciliation check's
    temporary copies (the same rule code, fed in one shot instead of run after run). load: a
    plain insert into an emptied table without indexes (a full rebuild's)."""
    day_wins = sql.SQL("") if load else statement("staging/day_wins.sql")
    return statement("staging/merge_days.sql", source_rows=source_rows, recruited=sql.Identifier("stage_recruited"),
                     days=days, changed=changed, unparseable=unparseable, day_wins=day_wins)


def summarize_statement(days: sql.Identifier, summary: sql.Identifier) -> sql.Composed:
    return statement("staging/summarize.sql", days=days, summary=summary)


def rows_of_drivers(drivers: sql.Identifier) -> sql.Composed:
    return statement("staging/rows_of_drivers.sql", drivers=drivers)


def _merge(conn, source_rows: sql.Composable, since, record: bool, load: bool = False) -> dict:
    """record: write the unparseable rows and the changed days (the day's change does; a
    backfill needs neither, merge_days.sql says why). load: see merge_statement."""
    query = merge_statement(source_rows, DAYS, CHANGED, UNPARSEABLE, load)
    cur = conn.execute(query, {"since": since, "record_unparseable": record, "record_changed": record})
    return dict(zip([c.name for c in cur.description], cur.fetchone()))


def _one(conn, path: str, params: dict) -> dict | None:
    cur = conn.execute(read_sql(path), params)
    row = cur.fetchone()
    return dict(zip([c.name for c in cur.description], row)) if row else None
