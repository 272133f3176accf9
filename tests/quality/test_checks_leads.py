"""The two WARN checks on who a driver is and when it became a lead (README "Reliability", item
21): a lead dated years ahead, a driver linked to two persons. Both pass on the clean fleet, and
neither is caught by another check (the out-of-range check accepts dates before 2100)."""

from datetime import date, datetime, timezone

from tests.support.builders import person_key
from tests.support.check_fixtures import built_fleet, outcome_tuple, run_check
from tests.support.fixtures import insert_rows


def test_future_lead_dates_counts_leads_and_registrations_after_today(conn, db_url):
    built_fleet(conn, db_url)
    assert outcome_tuple(run_check(conn, "future_lead_dates")) == (True, "WARN", 0, 0)
    insert_rows(conn, "public.module_ct_cabinet_leads", [
        {"id": 9001, "external_id": "AHEAD", "lead_created_at": datetime(2031, 5, 5, 12, tzinfo=timezone.utc)},
        {"id": 9002, "external_id": "PAST", "lead_created_at": datetime(2020, 1, 1, 12, tzinfo=timezone.utc)},
    ])
    insert_rows(conn, "public.module_ct_scouting_daily", [{"id": 9003, "registration_date": date(2099, 12, 31)}])
    outcome = run_check(conn, "future_lead_dates")
    assert outcome_tuple(outcome) == (False, "WARN", 2, 0)
    assert outcome.description == "2 leads dated after today (threshold 0)"
    assert outcome.metadata["examples"] == ["module_ct_scouting_daily 9003: 2099-12-31",
                                            "module_ct_cabinet_leads 9001: 2031-05-05"]
    assert outcome_tuple(run_check(conn, "out_of_range_dates")) == (True, "WARN", 0, 0)  # inside [2000, 2100)


def test_driver_linked_to_two_persons_counts_each_driver_once(conn, db_url):
    built_fleet(conn, db_url)
    assert outcome_tuple(run_check(conn, "driver_linked_to_two_persons")) == (True, "WARN", 0, 0)
    # D01 gets a second person under a padded id (the unique key sees two ids), D02 a third and
    # a fourth: each driver counts once, with its number of persons.
    insert_rows(conn, "canon.identity_links", [
        {"person_key": person_key("OTHER1"), "source_table": "drivers", "source_pk": "D01 "},
        {"person_key": person_key("OTHER2"), "source_table": "drivers", "source_pk": " D02"},
        {"person_key": person_key("OTHER3"), "source_table": "drivers", "source_pk": "D02  "},
        {"person_key": person_key("D03"), "source_table": "drivers", "source_pk": "D03 "},  # same person: fine
    ])
    outcome = run_check(conn, "driver_linked_to_two_persons")
    assert outcome_tuple(outcome) == (False, "WARN", 2, 0)
    assert outcome.description == "2 drivers linked to more than one person (threshold 0)"
    assert outcome.metadata["examples"] == ["D01: 2 persons", "D02: 3 persons"]
