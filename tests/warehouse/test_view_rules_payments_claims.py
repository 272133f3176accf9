"""docs/business-rules.md, sections 8-10 (financial side): payments matched by id or by name,
paid-without-achievement, claims with due dates and overdue buckets, and the MV's columns.
Same method as test_view_rules_financial.py: a few drivers, exact values, arithmetic in comments."""

from datetime import date, timedelta
from decimal import Decimal

from psycopg import sql

from tests.support.builders import (
    CLAIM_FLAGS,
    MONEY,
    MV,
    add_driver,
    add_lead,
    add_lead_driver,
    add_payment,
    add_trips,
    claims,
    money,
    mv_rows,
    person_key,
    pick,
)
from tests.support.fixtures import build_all, compose, query_dicts

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
