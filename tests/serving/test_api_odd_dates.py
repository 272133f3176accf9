"""Out-of-range dates in the raw data (README "Reliability", item 17): 'infinity' and year-9999
dates in every raw table that carries a date. The views treat them as missing, so the table's
first page, the weekly KPIs and the CSV export answer 200 with complete rows, the same dates,
trips and money as on the clean fleet (13 drivers; scout evidence counts without its date), and
the out_of_range_dates check counts what was set aside."""

import csv
import io
from datetime import date

import psycopg

from cobranza_pipeline.serving.app import create_app
from cobranza_pipeline.serving.csv_format import HEADER
from tests.support.api_fixtures import EXPORT, TABLE, WEEKLY_KPIS, BackgroundServer, build_api_fleet, get
from tests.support.builders import add_driver, add_lead, add_payment, link, person_key
from tests.support.check_fixtures import outcome_tuple, run_check
from tests.support.fixtures import build_all, insert_rows

BOM = "\ufeff"
SCOUT_KEYS = {"is_scout_resolved", "scout_id", "scout_name", "scout_priority", "scout_quality_bucket",
              "scout_source_table"}


def add_odd_dates(conn) -> None:
    add_driver(conn, "D14", "Lead from the far future")  # its only lead is dated 9999: no lead date
    add_lead(conn, person_key("D14"), date(9999, 12, 31))
    insert_rows(conn, "public.module_ct_cabinet_leads", [
        {"id": 9001, "external_id": "INF", "lead_created_at": "infinity"},
        {"id": 9002, "external_id": "NEG", "lead_created_at": "-infinity"}])
    link(conn, "module_ct_cabinet_leads", "INF", person_key("D01"))  # D01's real lead stays its lead date
    link(conn, "module_ct_cabinet_leads", "NEG", person_key("D02"))
    # Payments for milestones already paid: a payment counts whatever its date, so these change no amount.
    add_payment(conn, 9003, driver_id="D06", pay_date=date(9999, 12, 31), trip_1=True)
    insert_rows(conn, "public.module_ct_cabinet_payments", [{"id": 9004, "date": "infinity", "driver_id": "D06",
                                                              "trip_5": True}])
    insert_rows(conn, "public.module_ct_migrations", [{"id": 9005, "driver_id": "D03", "scout_id": 7,
                                                       "hire_date": "infinity"}])
    link(conn, "module_ct_migrations", 9005, person_key("D03"))
    insert_rows(conn, "public.module_ct_scouting_daily", [{"id": 9006, "registration_date": "infinity", "scout_id": 8}])
    link(conn, "module_ct_scouting_daily", 9006, person_key("D04"))
    insert_rows(conn, "observational.lead_ledger", [{"person_key": person_key("D05"), "attributed_scout_id": 9,
                                                     "updated_at": "infinity"}])
    insert_rows(conn, "observational.lead_events", [{"source_table": "x", "source_pk": "1", "event_date": "infinity",
                                                     "person_key": person_key("D08"), "scout_id": 10}])
    insert_rows(conn, "public.summary_daily", [
        {"driver_id": "D01", "date_file": "31-12-9999", "count_orders_completed": 99, "sum_work_time_seconds": 60},
        {"driver_id": "D01", "date_file": "infinity", "count_orders_completed": 99, "sum_work_time_seconds": 60}])


def answers(base: str) -> dict:
    table, weekly, export = get(base, TABLE), get(base, WEEKLY_KPIS), get(base, EXPORT)
    assert (table.status, weekly.status, export.status) == (200, 200, 200), (table.body, weekly.body, export.body)
    rows = list(csv.reader(io.StringIO(export.body.decode("utf-8").removeprefix(BOM), newline="")))
    return {"table": table.json(), "weekly": weekly.json()["weeks"], "export": rows}


def answers_of_a_server(url: str) -> dict:
    server = BackgroundServer(create_app(url)).start()
    try:
        return answers(server.base)
    finally:
        server.stop()


def test_infinite_and_year_9999_dates_leave_every_answer_whole(new_database):
    url = new_database()
    with psycopg.connect(url, autocommit=True) as conn:
        build_api_fleet(conn, url)
        before = answers_of_a_server(url)
        add_odd_dates(conn)
        build_all(conn, url)
        after = answers_of_a_server(url)
        set_aside = outcome_tuple(run_check(conn, "out_of_range_dates"))
        unparseable = outcome_tuple(run_check(conn, "unparseable_dates"))
    assert after["table"]["meta"]["total"] == 13 and len(after["table"]["data"]) == 13
    assert all(row["week_start"] and row["lead_date"] for row in after["table"]["data"])
    def without_scout(rows):
        return [{k: v for k, v in row.items() if k not in SCOUT_KEYS} for row in rows]

    assert without_scout(after["table"]["data"]) == without_scout(before["table"]["data"])  # dates, trips, money
    # Evidence keeps counting without its date (README "Validation suite", out_of_range_dates).
    assert {row["driver_id"]: row["scout_id"] for row in after["table"]["data"]
            if row["scout_id"] != next(b for b in before["table"]["data"] if b["driver_id"] == row["driver_id"])[
                "scout_id"]} == {"D03": 7, "D04": 8, "D05": 9, "D08": 10}
    assert after["table"]["summary"]["total_drivers"] == 13
    assert [(w["week_start"], w["total_rows"], w["debt_sum"]) for w in after["weekly"]] == [
        (w["week_start"], w["total_rows"], w["debt_sum"]) for w in before["weekly"]]
    assert sum(week["total_rows"] for week in after["weekly"]) == 13
    assert after["export"][0] == list(HEADER) and len(after["export"]) == 14
    assert [row[0] for row in after["export"]] == [row[0] for row in before["export"]]
    assert all(len(row) == len(HEADER) for row in after["export"])
    assert set_aside == (False, "WARN", 9, 0)  # 3 leads, 2 payments, a migration, a registration, ledger, event
    assert unparseable == (False, "WARN", 2, 0)  # the two summary_daily days
