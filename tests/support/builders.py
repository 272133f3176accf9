"""Builders of hand-made raw rows for the view-rule tests: a driver, a lead, trips, payments."""

import itertools
import uuid
from datetime import date, datetime, time, timezone
from decimal import Decimal

from tests.support.fixtures import insert_rows, query_dicts

MV = "ops.mv_yango_cabinet_cobranza_enriched_14d"
T0 = datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc)  # a neutral created_at / updated_at / linked_at
_lead_ids = itertools.count(1000)


def person_key(label: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"cobranza-test/{label}")


def link(conn, source_table: str, source_pk, person: uuid.UUID) -> None:
    insert_rows(conn, "canon.identity_links", [
        {"person_key": person, "source_table": source_table, "source_pk": str(source_pk), "linked_at": T0},
    ])


def add_driver(conn, driver_id: str, full_name=None, *, person=None, link_driver=True, updated_at=T0, **parts):
    """One public.drivers row (+ its 'drivers' identity link unless link_driver=False)."""
    row = {"driver_id": driver_id, "full_name": full_name, "updated_at": updated_at, **parts}
    insert_rows(conn, "public.drivers", [row])
    if link_driver:
        link(conn, "drivers", driver_id, person or person_key(driver_id))


def add_lead(conn, person: uuid.UUID, lead_date: date, *, external_id="auto", lead_id=None, linked=True) -> str:
    """A cabinet lead created at 18:45 on lead_date, linked to person by its lead key."""
    lead_id = lead_id if lead_id is not None else next(_lead_ids)
    external_id = f"EXT-{lead_id}" if external_id == "auto" else external_id
    insert_rows(conn, "public.module_ct_cabinet_leads", [{
        "id": lead_id, "external_id": external_id, "first_name": "Lead", "last_name": str(lead_id),
        "lead_created_at": datetime.combine(lead_date, time(18, 45)),
        "created_at": datetime.combine(lead_date, time(19)),
    }])
    lead_key = external_id if external_id is not None else str(lead_id)
    if linked:
        link(conn, "module_ct_cabinet_leads", lead_key, person)
    return lead_key


def add_lead_driver(conn, driver_id: str, lead_date: date, full_name=None) -> uuid.UUID:
    """A driver with a person_key and one cabinet lead on lead_date; returns the person_key."""
    person = person_key(driver_id)
    add_driver(conn, driver_id, full_name or f"Driver {driver_id}", person=person)
    add_lead(conn, person, lead_date)
    return person


def add_trips(conn, driver_id: str, trips: dict, *, connected=True, created_at=T0) -> None:
    """summary_daily rows {date: trips} with date_file 'DD-MM-YYYY'."""
    insert_rows(conn, "public.summary_daily", [
        {"driver_id": driver_id, "date_file": day.strftime("%d-%m-%Y"), "count_orders_completed": n,
         "sum_work_time_seconds": 3600 if connected else 0, "created_at": created_at}
        for day, n in trips.items()
    ])


def add_payment(conn, payment_id: int, *, driver_id=None, driver=None, pay_date=date(2026, 3, 20),
                trip_1=None, trip_5=None, trip_25=None, scout_id=None) -> None:
    insert_rows(conn, "public.module_ct_cabinet_payments", [{
        "id": payment_id, "date": pay_date, "driver": driver, "driver_id": driver_id, "scout_id": scout_id,
        "trip_1": trip_1, "trip_5": trip_5, "trip_25": trip_25, "created_at": datetime.combine(pay_date, time(9)),
    }])


def add_raw_days(conn, driver_id: str, rows: list) -> None:
    """summary_daily rows given as (date_file text, trips, created_at)."""
    insert_rows(conn, "public.summary_daily", [
        {"driver_id": driver_id, "date_file": date_file, "count_orders_completed": n, "sum_work_time_seconds": 60,
         "created_at": created_at}
        for date_file, n, created_at in rows
    ])


def mv_rows(conn) -> dict:
    return {row["driver_id"]: row for row in query_dicts(conn, f"select * from {MV}")}


def claims(conn) -> list[dict]:
    return query_dicts(conn, "select * from ops.v_claims_14d order by driver_id, milestone")


def pick(row: dict, *columns) -> tuple:
    return tuple(row[column] for column in columns)


MONEY = ("expected_amount_m1", "expected_amount_m5", "expected_amount_m25", "expected_total_yango",
         "paid_amount_m1", "paid_amount_m5", "paid_amount_m25", "total_paid_yango", "amount_due_yango")
CLAIM_FLAGS = ("claim_m1_exists", "claim_m1_paid", "claim_m5_exists", "claim_m5_paid",
               "claim_m25_exists", "claim_m25_paid")


def money(*values) -> tuple:
    return tuple(Decimal(value) for value in values)
