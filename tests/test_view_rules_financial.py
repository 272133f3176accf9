"""SPEC section 5, rules 1-7 and 12 (financial side): hand-made fixtures, hand-computed numbers.

Each test inserts a few drivers into the empty raw tables, builds the ops layer and the MV, and
asserts exact values. The arithmetic behind every expected number is in a comment next to it.
"""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from psycopg import sql

from tests.builders import (
    CLAIM_FLAGS,
    MONEY,
    MV,
    T0,
    add_driver,
    add_lead,
    add_lead_driver,
    add_payment,
    add_raw_days,
    add_trips,
    claims,
    link,
    money,
    mv_rows,
    person_key,
    pick,
)
from tests.fixtures import build_all, compose, insert_rows, query_dicts

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

    daily = query_dicts(conn, "select trip_date, trips from ops.v_trips_daily where driver_id = 'D1' order by 1")
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

    parsed = dict(conn.execute("select date_file, trip_date from ops.v_summary_daily_parsed").fetchall())
    assert parsed == {"03-03-2026": date(2026, 3, 3), "2026-03-04": date(2026, 3, 4), **{b: None for b in bad}}
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


# ---------------------------------------------------------------- 7. payments


def test_payments_by_driver_id_by_name_ambiguous_false_and_null(conn, db_url):
    lead = date(2026, 3, 2)
    for driver_id, name, trips in [("P1", "Carlos Ruiz", 5), ("P2", "José Pérez", 5), ("P3", "Ana Torres", 1),
                                   ("P5", "Rosa Vega", 1)]:
        add_lead_driver(conn, driver_id, lead, name)
        add_trips(conn, driver_id, {lead: trips})
    add_lead(conn, person_key("P4"), lead)
    add_driver(conn, "P4", None, person=person_key("P4"), first_name="ANA", last_name="TORRES")  # same name as P3
    add_trips(conn, "P4", {lead: 1})
    add_payment(conn, 1, driver_id="P1", driver="otro texto", trip_1=True)
    add_payment(conn, 2, driver="PEREZ, jose", pay_date=date(2026, 3, 21), trip_1=True, trip_5=True)
    add_payment(conn, 3, driver_id="NO-SUCH-ID", driver="perez  JOSÉ", pay_date=date(2026, 3, 25), trip_5=True)
    add_payment(conn, 4, driver="Torres, Ana", trip_1=True)
    add_payment(conn, 5, driver_id="P5", driver="Rosa Vega", trip_1=False)
    add_payment(conn, 6, driver_id="P5", driver="Rosa Vega")  # every trip_N NULL: not reported
    add_payment(conn, 7, driver="Nadie Conocido", trip_1=True)
    build_all(conn, db_url)

    assert conn.execute("select ops.normalize_name('PEREZ, jose'), ops.normalize_name('José Pérez')").fetchone() == (
        "JOSE PEREZ", "JOSE PEREZ")
    payments = query_dicts(conn, "select * from ops.v_yango_payments order by payment_id, milestone")
    assert [pick(p, "payment_id", "milestone", "is_paid", "driver_id", "match_rule") for p in payments] == [
        (1, 1, True, "P1", "driver_id_direct"),
        (2, 1, True, "P2", "name_unique"),
        (2, 5, True, "P2", "name_unique"),
        (3, 5, True, "P2", "name_unique"),      # unknown driver_id: falls back to the name
        (4, 1, True, None, "ambiguous"),        # P3 and P4 are both 'ANA TORRES'
        (5, 1, False, "P5", "driver_id_direct"),
        (7, 1, True, None, "no_match"),
    ]  # payment 6 has no row: all its flags are NULL
    rows = mv_rows(conn)
    # P1: 5 trips -> expected 60.00; M1 paid 25.00 -> due 35.00
    assert pick(rows["P1"], *CLAIM_FLAGS) == (True, True, True, False, False, False)
    assert pick(rows["P1"], *MONEY) == money("25.00", "35.00", "0", "60.00", "25.00", "0", "0", "25.00", "35.00")
    # P2: M1 + M5 paid by name (M5 reported twice, counted once): 25 + 35 = 60.00 -> due 0.00
    assert pick(rows["P2"], *CLAIM_FLAGS) == (True, True, True, True, False, False)
    assert pick(rows["P2"], *MONEY) == money("25.00", "35.00", "0", "60.00", "25.00", "35.00", "0", "60.00", "0.00")
    assert [pick(c, "milestone", "is_paid", "paid_date") for c in claims(conn) if c["driver_id"] == "P2"] == [
        (1, True, date(2026, 3, 21)), (5, True, date(2026, 3, 21))]  # earliest of 03-21 and 03-25
    # P3, P4 (ambiguous) and P5 (trip_1 false): M1 claimed, not paid -> due 25.00
    for driver_id in ("P3", "P4", "P5"):
        assert pick(rows[driver_id], "claim_m1_exists", "claim_m1_paid", "total_paid_yango", "amount_due_yango") == (
            True, False, Decimal("0.00"), Decimal("25.00")), driver_id


# ---------------------------------------------------------------- 8. paid without achievement


def test_paid_milestone_not_reached_gives_negative_debt(conn, db_url):
    lead = date(2026, 3, 2)
    add_lead_driver(conn, "X1", lead)
    add_trips(conn, "X1", {lead: 6})
    add_payment(conn, 1, driver_id="X1", trip_1=True, trip_25=True)
    build_all(conn, db_url)

    x1 = mv_rows(conn)["X1"]
    # 6 trips -> expected 25 + 35 = 60.00; paid M1 + M25 = 25 + 100 = 125.00; due 60 - 125 = -65.00
    assert pick(x1, "reached_m5_14d", "reached_m25_14d") == (True, False)
    assert pick(x1, *MONEY) == money("25.00", "35.00", "0", "60.00", "25.00", "0", "100.00", "125.00", "-65.00")
    # no M25 claim exists, so it is neither claimed nor "claim paid"
    assert pick(x1, *CLAIM_FLAGS) == (True, True, True, False, False, False)


# ---------------------------------------------------------------- 9. claims


def test_claims_achieved_date_due_date_and_overdue_buckets(conn, db_url):
    today = conn.execute("select current_date").fetchone()[0]
    lead = date(2025, 3, 3)
    add_lead_driver(conn, "CA", lead)
    # running total 1, 4, 5, 24, 25 on 03-03, 03-05, 03-07, 03-10, 03-12; 03-17 (day 14) is outside
    add_trips(conn, "CA", {date(2025, 3, 3): 1, date(2025, 3, 5): 3, date(2025, 3, 7): 1, date(2025, 3, 10): 19,
                           date(2025, 3, 12): 1, date(2025, 3, 17): 10})
    add_lead_driver(conn, "CB", lead)
    add_trips(conn, "CB", {lead: 1})
    add_payment(conn, 1, driver_id="CB", pay_date=date(2025, 4, 1), trip_1=True)
    # one unpaid M1 per overdue count n: lead = today - 14 - n, so due_date = today - n
    overdue = {-14: "0_not_due", 0: "0_not_due", 1: "1_1_7", 7: "1_1_7", 8: "2_8_14", 14: "2_8_14",
               15: "3_15_30", 30: "3_15_30", 31: "4_31_60", 60: "4_31_60", 61: "5_60_plus"}
    for n in overdue:
        driver_lead = today - timedelta(days=14 + n)
        add_lead_driver(conn, f"O{n:+04d}", driver_lead)
        add_trips(conn, f"O{n:+04d}", {driver_lead: 1})
    build_all(conn, db_url)

    by_key = {(c["driver_id"], c["milestone"]): c for c in claims(conn)}
    assert len(by_key) == 3 + 1 + len(overdue)  # one row per (driver, milestone) reached
    due = date(2025, 3, 17)  # 03-03 + 14
    late = (today - due).days
    assert [pick(by_key[("CA", m)], "expected_amount", "achieved_date", "due_date", "is_paid", "days_overdue",
                 "overdue_bucket") for m in (1, 5, 25)] == [
        (Decimal("25.00"), date(2025, 3, 3), due, False, late, "5_60_plus"),
        (Decimal("35.00"), date(2025, 3, 7), due, False, late, "5_60_plus"),
        (Decimal("100.00"), date(2025, 3, 12), due, False, late, "5_60_plus"),
    ]
    assert pick(by_key[("CB", 1)], "is_paid", "paid_date", "days_overdue", "overdue_bucket") == (
        True, date(2025, 4, 1), 0, "0_not_due")
    got = {n: pick(by_key[(f"O{n:+04d}", 1)], "days_overdue", "overdue_bucket") for n in overdue}
    assert got == {n: (max(n, 0), bucket) for n, bucket in overdue.items()}


# ---------------------------------------------------------------- 12. MV columns, iso week


MV_COLUMNS = [
    "driver_id", "driver_name", "lead_date", "iso_week", "week_start", "connected_flag", "connected_date",
    "total_trips_14d", "reached_m1_14d", "reached_m5_14d", "reached_m25_14d", "expected_amount_m1",
    "expected_amount_m5", "expected_amount_m25", "expected_total_yango", "claim_m1_exists", "claim_m1_paid",
    "claim_m5_exists", "claim_m5_paid", "claim_m25_exists", "claim_m25_paid", "paid_amount_m1", "paid_amount_m5",
    "paid_amount_m25", "total_paid_yango", "amount_due_yango", "scout_id", "scout_name", "scout_name_normalized",
    "scout_is_active", "scout_quality_bucket", "is_scout_resolved", "scout_source_table", "scout_attribution_date",
    "scout_priority", "person_key",
]


def test_mv_columns_in_order_and_iso_week(conn, db_url):
    add_lead_driver(conn, "Y1", date(2026, 1, 1))     # Thursday: ISO week 2026-01 starts Mon 2025-12-29
    add_lead_driver(conn, "Y2", date(2025, 12, 29))   # a Monday: its own week_start, already ISO 2026-01
    add_lead_driver(conn, "Y3", date(2027, 1, 1))     # Friday: ISO week 2026-53, starts Mon 2026-12-28
    add_lead_driver(conn, "Y4", date(2026, 3, 8))     # Sunday: week started Mon 2026-03-02
    build_all(conn, db_url)

    columns = [r["attname"] for r in query_dicts(conn, f"""
        select attname from pg_attribute
        where attrelid = '{MV}'::regclass and attnum > 0 and not attisdropped order by attnum""")]
    assert columns == MV_COLUMNS and len(columns) == 36
    rows = mv_rows(conn)
    assert {d: pick(r, "iso_week", "week_start") for d, r in rows.items()} == {
        "Y1": ("2026-01", date(2025, 12, 29)),
        "Y2": ("2026-01", date(2025, 12, 29)),
        "Y3": ("2026-53", date(2026, 12, 28)),
        "Y4": ("2026-10", date(2026, 3, 2)),
    }
    # the first 26 MV columns are the financial view, row for row
    diff = conn.execute(compose("""
        select count(*) from (
            (select {columns} from {mv} except all select * from ops.v_cabinet_financial_14d)
            union all
            (select * from ops.v_cabinet_financial_14d except all select {columns} from {mv})
        ) as d""", columns=sql.SQL(", ").join(map(sql.Identifier, MV_COLUMNS[:26])), mv=MV)).fetchone()[0]
    assert diff == 0
