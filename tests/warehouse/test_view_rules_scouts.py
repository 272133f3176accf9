"""docs/business-rules.md, sections 11-16 (scout side) and the MV's grain: hand-made fixtures, exact values."""

from datetime import date, datetime, timezone
from decimal import Decimal

from psycopg.types.json import Jsonb

from tests.support.builders import (
    MV,
    add_driver,
    add_lead,
    add_lead_driver,
    add_payment,
    add_trips,
    link,
    mv_rows,
    person_key,
    pick,
)
from tests.support.fixtures import build_all, compose, insert_rows, query_dicts

LEAD = date(2026, 3, 2)
SCOUT_COLUMNS = ("scout_id", "scout_quality_bucket", "is_scout_resolved", "scout_source_table",
                 "scout_priority", "scout_attribution_date")


def utc(y, m, d, h=12):
    return datetime(y, m, d, h, tzinfo=timezone.utc)


def add_ledger(conn, person, scout_id, updated_at):
    insert_rows(conn, "observational.lead_ledger", [
        {"person_key": person, "attributed_scout_id": scout_id, "updated_at": updated_at}])


def add_event(conn, *, person=None, scout_id=None, payload=None, event_date=LEAD,
              source_table="module_ct_cabinet_leads", source_pk="ev"):
    insert_rows(conn, "observational.lead_events", [{
        "source_table": source_table, "source_pk": source_pk, "event_date": event_date, "person_key": person,
        "scout_id": scout_id, "payload_json": Jsonb(payload or {}), "created_at": utc(2026, 3, 2)}])


def add_migration(conn, migration_id, driver_id, scout_id, hire_date, created_at, person):
    insert_rows(conn, "public.module_ct_migrations", [{
        "id": migration_id, "driver_id": driver_id, "scout_id": scout_id, "hire_date": hire_date,
        "created_at": created_at}])
    if person is not None:
        link(conn, "module_ct_migrations", migration_id, person)


def add_registration(conn, registration_id, scout_id, registration_date, person):
    insert_rows(conn, "public.module_ct_scouting_daily", [{
        "id": registration_id, "registration_date": registration_date, "scout_id": scout_id,
        "driver_name": "someone", "created_at": datetime(2026, 3, 2, 8)}])
    link(conn, "module_ct_scouting_daily", registration_id, person)


# ---------------------------------------------------------------- 10. the canonical pick


def test_canonical_scout_priority_then_date_then_created_then_source_pk(conn, db_url):
    p = {d: add_lead_driver(conn, d, LEAD) for d in ("S1", "S2", "S3", "S4", "S5", "S6")}
    # S1: ledger (priority 1, 2026-01-01) beats a newer migration (priority 3, 2026-03-20)
    add_ledger(conn, p["S1"], 11, utc(2026, 1, 1))
    add_migration(conn, 1, "S1", 12, date(2026, 3, 20), datetime(2026, 3, 20), p["S1"])
    # S2: same priority: the later hire_date wins, despite an older created_at and a larger id
    add_migration(conn, 2, "S2", 21, date(2026, 3, 5), datetime(2026, 3, 9), p["S2"])
    add_migration(conn, 3, "S2", 22, date(2026, 3, 6), datetime(2026, 3, 6), p["S2"])
    # S3: same date: the later created_at wins (id 5, the larger one)
    add_migration(conn, 4, "S3", 31, date(2026, 3, 5), datetime(2026, 3, 5, 9), p["S3"])
    add_migration(conn, 5, "S3", 32, date(2026, 3, 5), datetime(2026, 3, 5, 10), p["S3"])
    # S4: same date and created_at: the smaller source_pk '6' wins (inserted second)
    add_migration(conn, 7, "S4", 42, date(2026, 3, 5), datetime(2026, 3, 5, 9), p["S4"])
    add_migration(conn, 6, "S4", 41, date(2026, 3, 5), datetime(2026, 3, 5, 9), p["S4"])
    # S5: an event whose scout sits only in the payload (a string) beats a newer migration
    add_event(conn, person=p["S5"], payload={"scout_id": "51"}, event_date=date(2026, 3, 4))
    add_migration(conn, 8, "S5", 52, date(2026, 3, 20), datetime(2026, 3, 20), p["S5"])
    # S6: an event without person_key reaches the person through its lead's identity link
    (lead_key,) = conn.execute("select source_pk from canon.identity_links where person_key = %s "
                               "and source_table = 'module_ct_cabinet_leads'", [p["S6"]]).fetchone()
    add_event(conn, payload={"scout_id": 61}, source_pk=lead_key, event_date=date(2026, 3, 3))
    add_registration(conn, 9, 61, LEAD, p["S6"])  # second evidence, same scout: not a conflict
    build_all(conn, db_url)

    canonical = {r["person_key"]: pick(r, "scout_id", "source_table", "priority", "attribution_date")
                 for r in query_dicts(conn, "select * from ops.v_scout_attribution")}
    assert canonical == {
        p["S1"]: (11, "observational.lead_ledger", 1, date(2026, 1, 1)),
        p["S2"]: (22, "public.module_ct_migrations", 3, date(2026, 3, 6)),
        p["S3"]: (32, "public.module_ct_migrations", 3, date(2026, 3, 5)),
        p["S4"]: (41, "public.module_ct_migrations", 3, date(2026, 3, 5)),
        p["S5"]: (51, "observational.lead_events", 2, date(2026, 3, 4)),
        p["S6"]: (61, "observational.lead_events", 2, date(2026, 3, 3)),
    }
    rows = mv_rows(conn)
    assert {d: pick(r, "scout_id", "scout_priority", "person_key") for d, r in rows.items()} == {
        "S1": (11, 1, p["S1"]), "S2": (22, 3, p["S2"]), "S3": (32, 3, p["S3"]), "S4": (41, 3, p["S4"]),
        "S5": (51, 2, p["S5"]), "S6": (61, 2, p["S6"])}

    conflicts = dict(conn.execute("select person_key, scout_ids from ops.v_scout_attribution_conflicts").fetchall())
    assert conflicts == {p["S1"]: [11, 12], p["S2"]: [21, 22], p["S3"]: [31, 32], p["S4"]: [41, 42],
                         p["S5"]: [51, 52]}  # S6 names scout 61 twice: no conflict


# ---------------------------------------------------------------- 10. buckets and scout names


def test_quality_bucket_per_only_source_and_scout_names(conn, db_url):
    p = {d: add_lead_driver(conn, d, LEAD) for d in ("BL", "BE", "BM", "BS", "BC", "BX")}
    add_ledger(conn, p["BL"], 101, utc(2026, 3, 3))
    add_event(conn, person=p["BE"], scout_id=102, event_date=date(2026, 3, 4))
    add_migration(conn, 1, "BM", 103, date(2026, 3, 5), datetime(2026, 3, 5), p["BM"])
    add_registration(conn, 5, 104, date(2026, 3, 6), p["BS"])  # lead_date stays 03-02 (earlier lead)
    add_payment(conn, 9, driver_id="BC", driver="Driver BC", scout_id=105, pay_date=date(2026, 3, 7))
    insert_rows(conn, "public.module_ct_scouts_list", [
        {"scout_id": 101, "raw_name": "Ana Raw", "name": "Ana Name", "is_active": False},  # raw_name first
        {"scout_id": 102, "raw_name": None, "name": "Bruno Díaz", "is_active": None},      # name; active default
        {"scout_id": 103, "raw_name": "  ", "name": "Carla Núñez", "is_active": True},     # blank raw_name
        {"scout_id": 104, "raw_name": None, "name": None, "is_active": True},              # 'Scout 104'
    ])  # 105 is known only from the payment: 'Scout 105', active
    build_all(conn, db_url)

    dim = {r["scout_id"]: pick(r, "scout_name", "scout_name_normalized", "is_active")
           for r in query_dicts(conn, "select * from ops.v_dim_scouts")}
    assert dim == {
        101: ("Ana Raw", "ANA RAW", False),
        102: ("Bruno Díaz", "BRUNO DIAZ", True),
        103: ("Carla Núñez", "CARLA NUNEZ", True),
        104: ("Scout 104", "104 SCOUT", True),   # tokens sorted: '104' < 'SCOUT'
        105: ("Scout 105", "105 SCOUT", True),
    }
    rows = mv_rows(conn)
    assert {d: pick(r, *SCOUT_COLUMNS) for d, r in rows.items()} == {
        "BL": (101, "SATISFACTORY_LEDGER", True, "observational.lead_ledger", 1, date(2026, 3, 3)),
        "BE": (102, "EVENTS_ONLY", True, "observational.lead_events", 2, date(2026, 3, 4)),
        "BM": (103, "MIGRATIONS_ONLY", True, "public.module_ct_migrations", 3, date(2026, 3, 5)),
        "BS": (104, "SCOUTING_DAILY_ONLY", True, "public.module_ct_scouting_daily", 4, date(2026, 3, 6)),
        "BC": (105, "CABINET_PAYMENTS_ONLY", True, "public.module_ct_cabinet_payments", 5, date(2026, 3, 7)),
        "BX": (None, "MISSING", False, None, None, None),
    }
    assert {d: pick(r, "scout_name", "scout_name_normalized", "scout_is_active") for d, r in rows.items()} == {
        "BL": ("Ana Raw", "ANA RAW", False), "BE": ("Bruno Díaz", "BRUNO DIAZ", True),
        "BM": ("Carla Núñez", "CARLA NUNEZ", True), "BS": ("Scout 104", "104 SCOUT", True),
        "BC": ("Scout 105", "105 SCOUT", True), "BX": (None, None, None)}
    assert rows["BS"]["lead_date"] == LEAD
    assert query_dicts(conn, "select * from ops.v_scout_attribution_conflicts") == []


# ---------------------------------------------------------------- 11. person_key and the MV's grain


def test_driver_without_person_key_has_no_lead_date_and_no_mv_row(conn, db_url):
    add_lead_driver(conn, "OK", LEAD)
    add_driver(conn, "NL", "Sin Enlace", link_driver=False)  # no 'drivers' identity link
    add_lead(conn, person_key("NL"), LEAD)                    # its lead is linked, the driver is not
    add_trips(conn, "NL", {LEAD: 30})
    add_migration(conn, 1, "NL", 7, LEAD, datetime(2026, 3, 2), None)
    build_all(conn, db_url)

    identity = {r["driver_id"]: r["person_key"] for r in query_dicts(conn, "select * from ops.v_driver_identity")}
    assert identity == {"OK": person_key("OK"), "NL": None}
    assert [r["driver_id"] for r in query_dicts(conn, "select driver_id from ops.v_lead_dates")] == ["OK"]
    assert [r["driver_id"] for r in query_dicts(conn, "select driver_id from ops.v_cabinet_financial_14d")] == ["OK"]
    assert sorted(mv_rows(conn)) == ["OK"]
    raw = query_dicts(conn, "select person_key, driver_id, scout_id from ops.v_scout_attribution_raw")
    assert [pick(r, "person_key", "driver_id", "scout_id") for r in raw] == [(None, "NL", 7)]


def test_mv_has_one_row_per_driver_with_duplicates_everywhere(conn, db_url):
    pd, pc = person_key("PD"), person_key("DC")
    # person PD has two drivers, each listed twice in public.drivers
    for driver_id in ("DA", "DB"):
        add_driver(conn, driver_id, f"{driver_id} old", person=pd, updated_at=utc(2026, 1, 1))
        add_driver(conn, driver_id, f"{driver_id} new", link_driver=False, updated_at=utc(2026, 2, 1))
    add_lead(conn, pd, date(2026, 3, 4))
    add_lead(conn, pd, LEAD)                                   # the earliest: 03-02
    add_registration(conn, 1, 201, date(2026, 3, 3), pd)
    add_ledger(conn, pd, 202, utc(2026, 3, 5))
    add_ledger(conn, pd, 203, utc(2026, 3, 6))                 # two ledger rows: the later one wins
    add_migration(conn, 2, "DA", 204, date(2026, 3, 7), datetime(2026, 3, 7), pd)
    add_trips(conn, "DA", {LEAD: 3}, created_at=utc(2026, 3, 3))
    add_trips(conn, "DA", {LEAD: 6}, created_at=utc(2026, 3, 4))  # same day, later: 6 wins
    add_trips(conn, "DB", {date(2026, 3, 3): 2})
    add_lead_driver(conn, "DC", LEAD, "DC name")
    add_driver(conn, "DC", "DC name", link_driver=False)
    add_migration(conn, 3, "DC", 205, LEAD, datetime(2026, 3, 2), pc)
    add_registration(conn, 4, 206, LEAD, pc)
    add_trips(conn, "DC", {LEAD: 1})
    add_trips(conn, "DC", {LEAD: 1})
    add_payment(conn, 1, driver_id="DC", trip_1=True)
    add_payment(conn, 2, driver_id="DC", trip_1=True)          # M1 reported paid twice
    build_all(conn, db_url)

    assert conn.execute(compose("select count(*), count(distinct driver_id) from {mv}", mv=MV)).fetchone() == (3, 3)
    assert conn.execute("select count(*), count(distinct person_key) from ops.v_scout_attribution").fetchone() == (2, 2)
    grain = "select count(*), count(distinct (driver_id, milestone)) from ops.v_claims_14d"
    assert conn.execute(grain).fetchone() == (4, 4)
    rows = mv_rows(conn)
    cols = ("driver_name", "lead_date", "total_trips_14d", "expected_total_yango", "total_paid_yango",
            "amount_due_yango", "scout_id", "scout_quality_bucket")
    assert {d: pick(r, *cols) for d, r in rows.items()} == {
        # 6 trips (not 3 + 6) -> 25 + 35 = 60.00; scout: ledger 203 (03-06 beats 03-05)
        "DA": ("DA new", LEAD, 6, Decimal("60.00"), Decimal("0.00"), Decimal("60.00"), 203, "SATISFACTORY_LEDGER"),
        "DB": ("DB new", LEAD, 2, Decimal("25.00"), Decimal("0.00"), Decimal("25.00"), 203, "SATISFACTORY_LEDGER"),
        # the same day twice counts 1; M1 paid twice counts 25.00 once; migration (3) beats registration (4)
        "DC": ("DC name", LEAD, 1, Decimal("25.00"), Decimal("25.00"), Decimal("0.00"), 205, "MIGRATIONS_ONLY"),
    }
