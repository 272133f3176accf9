"""The staged trips follow the raw tables' change and always equal a full recomputation.

One database goes through a sequence of changes, each followed by the daily build (views,
staging step, MV refresh); after every step every column of the MV, and of the staged
per-driver figures, equals the reference's full recomputation over the park's whole history
(tests/support/reference.py). The staging step must follow the change (incremental) until a
raw row is deleted, which the raw table's statistics reveal: then it rebuilds in full.
"""

import datetime as dt
import time

import pytest
from psycopg import sql

from cobranza_pipeline.local.demo.generate import DemoConfig, load_demo_data
from cobranza_pipeline.local.demo.shape import BAD_DATES
from cobranza_pipeline.warehouse import pipeline
from cobranza_pipeline.warehouse.staging import StageSettings
from tests.support.builders import add_driver, add_lead, add_payment, add_raw_days, link, person_key
from tests.support.fixtures import FAST_REFRESH, database, insert_rows
from tests.support.reference import build_reference, differences, reference_mv_select

AS_OF = dt.date(2026, 6, 30)
MV = sql.Identifier("ops", "mv_yango_cabinet_cobranza_enriched_14d")
STAGED = sql.SQL("(select driver_id, lead_date, total_trips_14d, connected_date, m1_achieved_date, "
                 "m5_achieved_date, m25_achieved_date from ops.stg_driver_trips_14d)")
REFERENCE_TRIPS = sql.SQL("(select * from ref.v_driver_trips_14d)")


def build(db_url, **stage):
    staged, _ = pipeline.build_all(database(db_url), FAST_REFRESH, StageSettings(**stage))
    return staged


def assert_equals_full_recomputation(conn):
    assert differences(conn, MV, sql.SQL("({})").format(reference_mv_select())) == (0, 0)
    assert differences(conn, STAGED, REFERENCE_TRIPS) == (0, 0)


def mv_row(conn, driver_id):
    cur = conn.execute(sql.SQL("select * from {} where driver_id = %s").format(MV), (driver_id,))
    row = cur.fetchone()
    return dict(zip([c.name for c in cur.description], row)) if row else None


def recruited_with_window(conn, lead: dt.date) -> str:
    """A demo driver with that lead date (its window covers lead .. lead+13)."""
    return conn.execute("select driver_id from ops.stg_driver_trips_14d where lead_date = %s order by driver_id limit 1",
                        (lead,)).fetchone()[0]


def wait_for_deletes_counted(conn, before: int) -> None:
    """The cumulative statistics show a delete once its session has flushed them (within about
    a second of going idle); the staging step reads them, so wait until they do."""
    conn.execute("select pg_stat_force_next_flush()")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        deletes = conn.execute("select n_tup_del from pg_stat_user_tables where relid = 'public.summary_daily'::regclass"
                               ).fetchone()[0]
        if deletes > before:
            return
        time.sleep(0.2)
    raise AssertionError("the delete never reached the statistics")


@pytest.fixture
def park(conn, db_url):
    """400 recruited demo drivers (leads over the 20 weeks to 2026-06-30), a park driver with
    two months of trips and no lead, and the reference views."""
    load_demo_data(db_url, DemoConfig(drivers=400, seed=21, as_of=AS_OF))
    add_driver(conn, "PARK-1", "Conductor Antiguo")
    add_raw_days(conn, "PARK-1", [(f"{d:%d-%m-%Y}", 3, dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc))
                                  for d in (AS_OF - dt.timedelta(days=n) for n in range(60))])
    build_reference(conn)
    return conn


def test_each_change_is_followed_incrementally_and_equals_a_full_recomputation(park, db_url):
    conn = park
    first = build(db_url)
    assert (first.mode, first.reason) == ("full", "first run")
    assert mv_row(conn, "PARK-1") is None  # no lead: not recruited
    assert_equals_full_recomputation(conn)

    # 1. a new day of the whole (small) park: one more row for every driver, loaded now
    now = conn.execute("select clock_timestamp()").fetchone()[0]
    drivers = [row[0] for row in conn.execute("select distinct driver_id from public.drivers")]
    insert_rows(conn, "public.summary_daily", [
        {"driver_id": d, "date_file": f"{AS_OF + dt.timedelta(days=1):%d-%m-%Y}", "count_orders_completed": 2,
         "sum_work_time_seconds": 1800, "created_at": now} for d in drivers])
    day = build(db_url)
    assert day.mode == "incremental" and day.drivers_backfilled == 0
    # the day's rows and those of the 48 hours before the watermark (the lookback), not the history
    in_lookback = conn.execute("select count(*) from public.summary_daily where created_at > %s",
                               (first.high_water - dt.timedelta(hours=48),)).fetchone()[0]
    total = conn.execute("select count(*) from public.summary_daily").fetchone()[0]
    assert day.rows_read == in_lookback < total / 10 and in_lookback >= len(drivers)
    assert_equals_full_recomputation(conn)

    # 2. a late correction: a later duplicate row for an old day inside a driver's window, and
    #    a row whose load committed late (created_at before the watermark, within the lookback)
    lead = AS_OF - dt.timedelta(days=5)
    fixed = recruited_with_window(conn, lead)
    before = mv_row(conn, fixed)["total_trips_14d"]
    add_raw_days(conn, fixed, [(f"{lead + dt.timedelta(days=1):%d-%m-%Y}", 40, now + dt.timedelta(minutes=5)),
                               (f"{lead + dt.timedelta(days=2):%d-%m-%Y}", 7, now - dt.timedelta(hours=1))])
    correction = build(db_url)
    assert correction.mode == "incremental"
    corrected = mv_row(conn, fixed)["total_trips_14d"]
    assert corrected != before and mv_row(conn, fixed)["reached_m25_14d"]
    assert_equals_full_recomputation(conn)

    # 3. a new lead for an old driver: PARK-1's history enters from its lead date on
    add_lead(conn, person_key("PARK-1"), AS_OF - dt.timedelta(days=10))
    new_lead = build(db_url)
    assert new_lead.mode == "incremental" and new_lead.drivers_backfilled == 1
    # 3 trips on each of the 11 days 06-20 .. 06-30 and the new day's 2 on 07-01, all in [06-20, 07-04)
    assert mv_row(conn, "PARK-1")["total_trips_14d"] == 35
    assert_equals_full_recomputation(conn)

    # 4. a changed identity link: PARK-1's 'drivers' link now names another person, whose lead
    #    is a month earlier (links are unique per source row: the link is updated in place)
    other = person_key("PARK-1-other")
    add_lead(conn, other, AS_OF - dt.timedelta(days=40))
    conn.execute("update canon.identity_links set person_key = %s, linked_at = %s"
                 " where source_table = 'drivers' and source_pk = 'PARK-1'", (other, now))
    relinked = build(db_url)
    assert relinked.mode == "incremental" and relinked.drivers_backfilled == 1
    assert mv_row(conn, "PARK-1")["lead_date"] == AS_OF - dt.timedelta(days=40)
    assert_equals_full_recomputation(conn)

    # 5. a new payment and new scout evidence for old drivers
    add_payment(conn, 990001, driver_id="PARK-1", pay_date=AS_OF, trip_1=True)
    link(conn, "module_ct_migrations", 990002, other)
    insert_rows(conn, "public.module_ct_migrations", [{"id": 990002, "driver_id": "PARK-1", "scout_id": 7,
                                                       "hire_date": AS_OF, "created_at": now}])
    paid = build(db_url)
    assert paid.mode == "incremental"
    assert (mv_row(conn, "PARK-1")["total_paid_yango"], mv_row(conn, "PARK-1")["scout_id"]) == (25, 7)
    assert_equals_full_recomputation(conn)

    # 6. a deleted raw row: the statistics show it, and the stage is rebuilt from every row
    deletes = conn.execute("select n_tup_del from pg_stat_user_tables where relid = 'public.summary_daily'::regclass"
                           ).fetchone()[0]
    conn.execute("delete from public.summary_daily where driver_id = %s and created_at = %s",
                 (fixed, now + dt.timedelta(minutes=5)))
    wait_for_deletes_counted(conn, deletes)
    rebuilt = build(db_url)
    assert rebuilt.mode == "full" and "deleted (1)" in rebuilt.reason
    assert mv_row(conn, fixed)["total_trips_14d"] == corrected - 40  # the driver had no other row on lead+1
    assert_equals_full_recomputation(conn)

    # and the run after follows the change again
    assert build(db_url).mode == "incremental"


def test_a_changed_definition_or_a_request_rebuilds_in_full(park, db_url):
    conn = park
    build(db_url)
    assert build(db_url, full_refresh=True).reason == "requested"
    conn.execute("update ops.stage_state set definition_sha256 = 'an older release'")
    assert build(db_url).reason == "the staging definition changed"
    conn.execute("truncate public.module_ct_scouts_list")  # another raw table: the stage does not care
    assert build(db_url).mode == "incremental"
    assert_equals_full_recomputation(conn)


def recorded_unparseable(conn) -> set:
    return {row[0] for row in conn.execute("select raw_ctid::text from ops.stg_unparseable_rows")}


def test_a_full_rebuild_records_every_unparseable_row_the_incremental_runs_recorded(park, db_url):
    """A full rebuild reads only the recruited drivers' rows for their days, but records the
    unparseable rows of the whole raw table (PARK-1 has no lead), as the incremental runs do
    for each day's change; its watermark is the newest created_at of the whole table."""
    conn = park
    now = conn.execute("select clock_timestamp()").fetchone()[0]
    demo_bad = conn.execute("select count(*) from public.summary_daily where date_file = any(%s)",
                            (list(BAD_DATES),)).fetchone()[0]
    assert demo_bad > 0
    add_raw_days(conn, "PARK-1", [("31-02-2026", 4, now - dt.timedelta(minutes=2))])
    first = build(db_url)
    assert (first.mode, first.unparseable_recorded) == ("full", demo_bad + 1)
    assert first.high_water == now - dt.timedelta(minutes=2)  # PARK-1's row, not a recruited driver's

    add_raw_days(conn, "PARK-1", [("2026/06/01", 2, now - dt.timedelta(minutes=1)), (None, 1, now)])
    day = build(db_url)
    assert (day.mode, day.unparseable_recorded, day.high_water) == ("incremental", 2, now)
    followed = recorded_unparseable(conn)
    assert len(followed) == demo_bad + 3

    rebuilt = build(db_url, full_refresh=True)
    assert (rebuilt.mode, rebuilt.unparseable_recorded, rebuilt.high_water) == ("full", demo_bad + 3, now)
    assert recorded_unparseable(conn) == followed
    assert_equals_full_recomputation(conn)
    # loaded without its indexes, the table has them again: the primary key and the connected days
    indexes = conn.execute("select indexname, indexdef like '%UNIQUE%' from pg_indexes"
                           " where schemaname = 'ops' and tablename = 'stg_trip_days' order by 1").fetchall()
    assert indexes == [("stg_trip_days_connected", False), ("stg_trip_days_pkey", True)]
    assert conn.execute("select contype from pg_constraint where conname = 'stg_trip_days_pkey'").fetchone() == ("p",)


def test_rows_whose_created_at_is_minus_infinity_give_no_watermark(conn, db_url):
    """-infinity is before every watermark (such rows are merged by the full build that reads
    them); a stage whose rows carry nothing else has no watermark, so the next run reads every row."""
    add_raw_days(conn, "PARK-1", [("01-06-2026", 3, "-infinity")])
    first = build(db_url)
    assert (first.mode, first.rows_read, first.high_water) == ("full", 1, None)
    assert (build(db_url).mode, build(db_url).rows_read) == ("incremental", 1)
