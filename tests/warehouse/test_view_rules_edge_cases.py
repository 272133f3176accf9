"""Edge cases a review found, each with its expected value worked out by hand: dates in the
business time zone, names stored in decomposed Unicode, a tie between two lead events, a
payment id reported twice, and a payment that names no one ('N/A')."""

from datetime import date, datetime, timezone

from psycopg.types.json import Jsonb

from tests.support.builders import (
    add_driver,
    add_lead_driver,
    add_payment,
    add_trips,
    mv_rows,
    pick,
)
from tests.support.fixtures import (
    build_all,
    compose,
    database,
    insert_rows,
    query_dicts,
)

LEAD = date(2026, 3, 2)


def payments(conn) -> list[dict]:
    return query_dicts(conn, compose(
        "select payment_id, milestone, is_paid, pay_date, driver_id, match_rule from {v} order by payment_id, milestone",
        v="ops.v_yango_payments"))


def test_sessions_turn_timestamps_into_dates_in_the_business_zone(conn, db_url, monkeypatch):
    """A ledger row updated at 2026-03-03 03:00 UTC is 2026-03-02 22:00 in Lima: the scout's
    attribution date is 03-02 whatever zone the server runs in; COBRANZA_TIMEZONE changes it."""
    person = add_lead_driver(conn, "TZ1", LEAD)
    insert_rows(conn, "observational.lead_ledger", [{
        "person_key": person, "attributed_scout_id": 7, "updated_at": datetime(2026, 3, 3, 3, tzinfo=timezone.utc)}])
    conn.execute(compose("alter database {db} set timezone = 'UTC'", db=conn.info.dbname))  # a UTC server
    build_all(conn, db_url)
    assert mv_rows(conn)["TZ1"]["scout_attribution_date"] == date(2026, 3, 2)
    with database(db_url).connect() as session:
        assert session.execute("show timezone").fetchone()[0] == "America/Lima"

    monkeypatch.setenv("COBRANZA_TIMEZONE", "UTC")
    build_all(conn, db_url)
    assert mv_rows(conn)["TZ1"]["scout_attribution_date"] == date(2026, 3, 3)


def test_names_in_decomposed_unicode_match_their_composed_twin(conn, db_url):
    """'José Pérez' stored with combining accents (NFD) is the same name; so is 'Ýañez'."""
    add_driver(conn, "N1", "José Pérez")
    add_driver(conn, "N2", "Ýañez Ruiz")
    add_payment(conn, 1, driver="Pe\u0301rez, Jose\u0301", trip_1=True)  # NFD, reordered, comma
    add_payment(conn, 2, driver="RUIZ YANEZ", trip_1=True)
    build_all(conn, db_url)
    assert [pick(row, "payment_id", "driver_id", "match_rule") for row in payments(conn)] == [
        (1, "N1", "name_unique"), (2, "N2", "name_unique")]
    assert conn.execute("select ops.normalize_name(%s)", ("Jose\u0301 Pe\u0301rez",)).fetchone()[0] == "JOSE PEREZ"


def test_a_tie_between_two_lead_events_goes_to_the_smaller_scout_id_whatever_the_row_order(conn, db_url):
    """Two events of one lead, same date and created_at, scouts 62 and 61: 61 both times."""
    person = add_lead_driver(conn, "T1", LEAD)
    for order in ((62, 61), (61, 62)):
        conn.execute(compose("truncate {t}", t="observational.lead_events"))
        insert_rows(conn, "observational.lead_events", [{
            "source_table": "module_ct_cabinet_leads", "source_pk": "L1", "event_date": LEAD, "person_key": person,
            "scout_id": scout, "payload_json": Jsonb({}), "created_at": datetime(2026, 3, 2, 9)} for scout in order])
        build_all(conn, db_url)
        assert pick(mv_rows(conn)["T1"], "scout_id", "scout_quality_bucket") == (61, "EVENTS_ONLY")


def test_a_payment_id_reported_twice_counts_once_its_latest_row(conn, db_url):
    """Payment 7 first said M1 unpaid (03-20), then paid (03-22): one row, paid on 03-22. Two
    rows without an id are both kept."""
    add_lead_driver(conn, "P1", LEAD)
    add_trips(conn, "P1", {date(2026, 3, 3): 1})
    add_payment(conn, 7, driver_id="P1", pay_date=date(2026, 3, 20), trip_1=False)
    add_payment(conn, 7, driver_id="P1", pay_date=date(2026, 3, 22), trip_1=True)
    add_payment(conn, None, driver_id="P1", pay_date=date(2026, 3, 23), trip_5=True)
    add_payment(conn, None, driver_id="P1", pay_date=date(2026, 3, 24), trip_25=False)
    build_all(conn, db_url)
    assert [pick(row, "payment_id", "milestone", "is_paid", "pay_date") for row in payments(conn)] == [
        (7, 1, True, date(2026, 3, 22)), (None, 5, True, date(2026, 3, 23)), (None, 25, False, date(2026, 3, 24))]
    row = mv_rows(conn)["P1"]
    # M1 reached and paid (25.00); M5 paid without being reached (35.00): due 25.00 - 60.00
    assert pick(row, "claim_m1_paid", "total_paid_yango", "amount_due_yango") == (True, 60, -35)


def test_a_payment_named_na_is_not_matched_to_a_driver_without_a_name(conn, db_url):
    add_driver(conn, "X1", None)  # no name at all: shown as 'N/A'
    add_payment(conn, 3, driver="N/A", trip_1=True)
    build_all(conn, db_url)
    assert [pick(row, "payment_id", "driver_id", "match_rule") for row in payments(conn)] == [(3, None, "no_match")]
    assert query_dicts(conn, compose("select driver_name from {v}", v="ops.v_driver_identity")) == [
        {"driver_name": "N/A"}]
