"""docs/business-rules.md, sections 3-7 (financial side): the 14-day trip window, driver identity, dates,
lead dates, milestone thresholds and amounts. Hand-made fixtures, hand-computed numbers.

Each test inserts a few drivers into the empty raw tables, builds the ops layer and the MV, and
asserts exact values. The arithmetic behind every expected number is in a comment next to it.
"""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from tests.support.builders import (
    MONEY,
    T0,
    add_driver,
    add_lead,
    add_lead_driver,
    add_raw_days,
    add_trips,
    claims,
    link,
    money,
    mv_rows,
    person_key,
    pick,
)
from tests.support.fixtures import build_all, insert_rows, query_dicts

# ---------------------------------------------------------------- 1. the 14-day window


def test_trips_count_only_inside_lead_date_plus_14_days(conn, db_url):
    lead = date(2026, 3, 2)
    add_lead_driver(conn, "W1", lead)
    add_trips(conn, "W1", {date(2026, 3, 1): 7}, connected=True)     # day -1: not counted
    add_trips(conn, "W1", {date(2026, 3, 2): 1}, connected=False)    # day 0: counted, not connected
    add_trips(conn, "W1", {date(2026, 3, 15): 3}, connected=True)    # day 13: counted
    add_trips(conn, "W1", {date(2026, 3, 16): 20}, connected=True)   # day 14: not counted
    add_lead_driver(conn, "W2", lead)
    add_trips(conn, "W2", {date(2026, 3, 1): 30, date(2026, 3, 16): 30}, connected=False)  # both outside
    build_all(conn, db_url)

    rows = mv_rows(conn)
    w1, w2 = rows["W1"], rows["W2"]
    # W1: 1 (day 0) + 3 (day 13) = 4 -> M1 only: 25.00; first connected day on/after 03-02 is 03-15
    assert pick(w1, "total_trips_14d", "reached_m1_14d", "reached_m5_14d", "reached_m25_14d") == (4, True, False, False)
    assert pick(w1, *MONEY) == money("25.00", "0", "0", "25.00", "0", "0", "0", "0", "25.00")
    assert pick(w1, "connected_flag", "connected_date") == (True, date(2026, 3, 15))
    # W2: 0 trips inside [03-02, 03-16): nothing reached, nothing owed
    assert pick(w2, "total_trips_14d", "reached_m1_14d", "expected_total_yango") == (0, False, Decimal("0.00"))
    assert pick(w2, "connected_flag", "connected_date") == (False, None)
    # only W1's M1 is a claim: running total 1 on day 0 (03-02); due 03-02 + 14 = 03-16
    got = [pick(c, "driver_id", "milestone", "achieved_date", "due_date", "expected_amount") for c in claims(conn)]
    assert got == [
        ("W1", 1, date(2026, 3, 2), date(2026, 3, 16), Decimal("25.00")),
    ]


# ---------------------------------------------------------------- 2. each day counted once


def test_duplicate_day_latest_created_at_wins(conn, db_url):
    add_lead_driver(conn, "D1", date(2026, 3, 2))
    add_raw_days(conn, "D1", [
        ("03-03-2026", 4, datetime(2026, 3, 4, 10, tzinfo=timezone.utc)),
        ("03-03-2026", 9, datetime(2026, 3, 5, 10, tzinfo=timezone.utc)),   # latest for 03-03
        ("03-03-2026", 2, datetime(2026, 3, 3, 10, tzinfo=timezone.utc)),
        ("04-03-2026", 3, datetime(2026, 3, 5, 12, tzinfo=timezone.utc)),
        ("2026-03-04", 1, datetime(2026, 3, 6, 12, tzinfo=timezone.utc)),   # same day, other format, latest
    ])
    build_all(conn, db_url)

    daily = query_dicts(conn, "select trip_date, trips from ops.stg_trip_days where driver_id = 'D1' order by 1")
    assert [pick(d, "trip_date", "trips") for d in daily] == [(date(2026, 3, 3), 9), (date(2026, 3, 4), 1)]
    # 9 + 1 = 10 (the sum of all rows would be 19) -> M1, M5: 25 + 35 = 60.00
    d1 = mv_rows(conn)["D1"]
    assert pick(d1, "total_trips_14d", "reached_m5_14d", "reached_m25_14d", "expected_total_yango") == (
        10, True, False, Decimal("60.00"))
    # running total is 9 on 03-03: both M1 and M5 are achieved that day
    assert [pick(c, "milestone", "achieved_date") for c in claims(conn)] == [
        (1, date(2026, 3, 3)), (5, date(2026, 3, 3))]


# ---------------------------------------------------------------- 3. driver identity


def test_driver_identity_latest_row_and_name_fallbacks(conn, db_url):
    lead = date(2026, 3, 2)
    for driver_id in ("N1", "N2", "N3", "N4"):
        add_lead(conn, person_key(driver_id), lead)
        link(conn, "drivers", driver_id, person_key(driver_id))
    day = lambda d: datetime(2026, 1, d, tzinfo=timezone.utc)  # noqa: E731
    insert_rows(conn, "public.drivers", [
        {"driver_id": "N1", "full_name": "Old Name", "updated_at": day(1)},
        {"driver_id": "N1", "full_name": "New Name", "updated_at": day(20)},        # latest
        {"driver_id": "N1", "full_name": "Middle Name", "updated_at": day(10)},
        {"driver_id": "N2", "full_name": "", "first_name": "Ana", "middle_name": "María", "last_name": "López",
         "updated_at": day(1)},                                                      # blank full_name -> parts
        {"driver_id": "N3", "full_name": None, "first_name": None, "middle_name": None, "last_name": None,
         "updated_at": day(1)},                                                      # nothing -> 'N/A'
        {"driver_id": "N4", "full_name": "Luis Antiguo", "updated_at": day(1)},
        {"driver_id": "N4", "full_name": None, "first_name": "Luis", "last_name": "Díaz", "updated_at": day(5)},
    ])
    build_all(conn, db_url)

    identity = query_dicts(conn, "select driver_id, driver_name, person_key from ops.v_driver_identity order by 1")
    # N4: the latest row wins as a whole, so its name parts beat the older row's full_name
    assert [pick(r, "driver_id", "driver_name", "person_key") for r in identity] == [
        ("N1", "New Name", person_key("N1")),
        ("N2", "Ana María López", person_key("N2")),
        ("N3", "N/A", person_key("N3")),
        ("N4", "Luis Díaz", person_key("N4")),
    ]
    assert {k: r["driver_name"] for k, r in mv_rows(conn).items()} == {
        "N1": "New Name", "N2": "Ana María López", "N3": "N/A", "N4": "Luis Díaz"}


# ---------------------------------------------------------------- 4. date formats


def test_both_date_formats_parse_and_bad_dates_are_skipped(conn, db_url):
    add_lead_driver(conn, "F1", date(2026, 3, 2))
    bad = ["31-02-2026", "N/A", "", "2026/03/05", "13-13-2026", "29-02-2026"]  # 2026 is not a leap year
    add_raw_days(conn, "F1", [("03-03-2026", 2, T0), ("2026-03-04", 3, T0)] + [(b, 50, T0) for b in bad])
    build_all(conn, db_url)  # no error on the bad rows

    parsed = dict(conn.execute("select date_file, ops.parse_date_file(date_file) from public.summary_daily").fetchall())
    assert parsed == {"03-03-2026": date(2026, 3, 3), "2026-03-04": date(2026, 3, 4), **{b: None for b in bad}}
    # the staging step records each unparseable row once, for the unparseable_dates check
    recorded = conn.execute("select date_file from ops.stg_unparseable_rows order by date_file").fetchall()
    assert [row[0] for row in recorded] == sorted(bad)
    # 2 + 3 = 5 (the 6 x 50 unparseable trips add nothing) -> M1, M5 = 60.00
    assert pick(mv_rows(conn)["F1"], "total_trips_14d", "reached_m5_14d", "expected_total_yango") == (
        5, True, Decimal("60.00"))


# ---------------------------------------------------------------- 5. lead dates


def test_lead_date_is_earliest_over_cabinet_leads_and_scout_registrations(conn, db_url):
    p, q = person_key("LP"), person_key("LQ")
    add_driver(conn, "LP", "Lead P", person=p)
    add_driver(conn, "LQ", "Lead Q", person=q)
    add_driver(conn, "LR", "Lead R")  # linked person, but no lead at all
    # P: lead with external_id on 03-10, lead without external_id (key '42') on 03-05 at 18:45,
    #    registration on 03-08 -> 03-05
    add_lead(conn, p, date(2026, 3, 10))
    add_lead(conn, p, date(2026, 3, 5), external_id=None, lead_id=42)
    # lead 43 has external_id 'EXT-C' (03-01): its key is 'EXT-C', so a link on '43' must not reach it
    add_lead(conn, p, date(2026, 3, 1), external_id="EXT-C", lead_id=43, linked=False)
    link(conn, "module_ct_cabinet_leads", "43", p)
    # an earlier lead that no identity link reaches
    add_lead(conn, p, date(2026, 2, 1), linked=False)
    insert_rows(conn, "public.module_ct_scouting_daily", [
        {"id": 7, "registration_date": date(2026, 3, 8), "scout_id": None, "created_at": datetime(2026, 3, 8)},
        {"id": 8, "registration_date": date(2026, 3, 3), "scout_id": None, "created_at": datetime(2026, 3, 3)},
    ])
    link(conn, "module_ct_scouting_daily", 7, p)
    # Q: cabinet lead 03-10, registration 03-03 -> 03-03
    add_lead(conn, q, date(2026, 3, 10))
    link(conn, "module_ct_scouting_daily", 8, q)
    build_all(conn, db_url)

    leads = query_dicts(conn, "select driver_id, lead_date from ops.v_lead_dates order by driver_id")
    assert [pick(r, "driver_id", "lead_date") for r in leads] == [("LP", date(2026, 3, 5)), ("LQ", date(2026, 3, 3))]
    assert sorted(mv_rows(conn)) == ["LP", "LQ"]


# ---------------------------------------------------------------- 6. thresholds and amounts


def test_milestone_thresholds_and_expected_amounts(conn, db_url):
    lead = date(2026, 3, 2)
    totals = {"T00": 0, "T01": 1, "T04": 4, "T05": 5, "T24": 24, "T25": 25}
    for driver_id, total in totals.items():
        add_lead_driver(conn, driver_id, lead)
        if total:  # split over day 0 and day 5
            add_trips(conn, driver_id, {lead: total - total // 2, lead + timedelta(days=5): total // 2})
    build_all(conn, db_url)

    amounts = conn.execute(
        "select milestone, amount_pen, cumulative_amount_pen, window_days from ops.v_milestone_amounts order by 1")
    assert amounts.fetchall() == [
        (1, Decimal("25.00"), Decimal("25.00"), 14), (5, Decimal("35.00"), Decimal("60.00"), 14),
        (25, Decimal("100.00"), Decimal("160.00"), 14)]
    rows = mv_rows(conn)
    got = {d: pick(rows[d], "total_trips_14d", "reached_m1_14d", "reached_m5_14d", "reached_m25_14d",
                   "expected_amount_m1", "expected_amount_m5", "expected_amount_m25", "expected_total_yango",
                   "amount_due_yango") for d in totals}
    z, m1, m5, m25 = Decimal("0.00"), Decimal("25.00"), Decimal("35.00"), Decimal("100.00")
    assert got == {
        "T00": (0, False, False, False, z, z, z, Decimal("0.00"), Decimal("0.00")),
        "T01": (1, True, False, False, m1, z, z, Decimal("25.00"), Decimal("25.00")),
        "T04": (4, True, False, False, m1, z, z, Decimal("25.00"), Decimal("25.00")),
        "T05": (5, True, True, False, m1, m5, z, Decimal("60.00"), Decimal("60.00")),      # 25 + 35
        "T24": (24, True, True, False, m1, m5, z, Decimal("60.00"), Decimal("60.00")),
        "T25": (25, True, True, True, m1, m5, m25, Decimal("160.00"), Decimal("160.00")),  # 25 + 35 + 100
    }
    # claims: 0 + 1 + 1 + 2 + 2 + 3 = 9 rows
    assert [pick(c, "driver_id", "milestone") for c in claims(conn)] == [
        ("T01", 1), ("T04", 1), ("T05", 1), ("T05", 5), ("T24", 1), ("T24", 5), ("T25", 1), ("T25", 5), ("T25", 25)]
