"""Raw-data fuzzing (README "Reliability", item 7): hypothesis fills every raw table with messy
rows (NULL in any column, bad and infinite dates, negative and huge trip counts, NaN and
infinite work time, duplicate keys, orphan identity links, unknown scouts, accents, quotes and
odd whitespace in names and payloads). For each example the MV is refreshed by the product's
own machinery: it never raises, it holds one row per driver of the financial view, every check
runs, the checks that guard the SQL's logic pass, and unparseable_dates counts exactly the
date_file values a plain Python reading of the rule rejects.

One database for the module: the ops layer is built once, each example empties the raw tables
(sql/contract/truncate_raw_tables.sql) and refreshes the MV. derandomize=True: the same
examples on every run and on both CI passes."""

import datetime as dt
import re
import uuid

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.types.json import Jsonb

from cobranza_pipeline.quality.suite import CHECKS
from cobranza_pipeline.settings import Thresholds
from cobranza_pipeline.warehouse.catalog import COBRANZA_MV
from cobranza_pipeline.warehouse.matview.refresh import refresh_materialized_view
from cobranza_pipeline.warehouse.sqlfiles import read_sql
from cobranza_pipeline.warehouse.staging import refresh_trip_stage
from tests.support.faults import MV
from tests.support.fixtures import (
    FAST_REFRESH,
    build_all,
    compose,
    database,
    insert_rows,
)

EXAMPLES = 25
MUST_PASS = {"week_start_not_null", "week_start_is_monday_of_lead_date", "weekly_sums_equal_global",
             "required_indexes", "one_row_per_driver", "scout_integrity", "milestone_monotonicity",
             "amount_arithmetic", "one_row_per_person", "one_row_per_driver_milestone",
             "stage_matches_full_recomputation"}
NOT_RUN = {"dashboard_query_latency"}  # timing, not data: its own tests cover it

PERSONS = [uuid.uuid5(uuid.NAMESPACE_URL, f"fuzz/{i}") for i in range(4)]
DRIVER_IDS = ["D1", "D2", "D3", "d1", " D1", "", "José-4", "O'Brien"]
NAMES = ["José Pérez", "JOSE PEREZ", "Pérez, José", "O'Brien", 'Ana "La Flaca" Ruiz', "ÑUÑEZ  núñez", "",
         "   ", "\t", "Robert'); drop table x;--", "Zoë\u00a0Ünal"]
SCOUTS = [1, 2, 3, 999, -1, 0, 2147483647]
BAD_DATE_FILES = ["31-02-2026", "2026-13-01", "05/03/2026", "00-00-0000", "29-02-2025", "1899-12-31",
                  "3000-01-01", "٠٥-٠٣-٢٠٢٦", "\t05-03-2026", "05-03-20266", "ayer", "", " "]
PAYLOAD_SCOUTS = [2, "3", " 1 ", "\t2", "\u00a02", "\u20032", "\u3000" + "3", "٢", "7a", "", "99999999999", None]
TRIPS = [-2147483648, -1, 0, 1, 4, 5, 24, 25, 26, 2147483647]


def maybe(strategy):
    return st.one_of(st.none(), strategy)


days = st.dates(dt.date(2026, 2, 20), dt.date(2026, 3, 20))
any_day = st.one_of(days, st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31), "infinity", "-infinity"]))
moments = st.one_of(
    st.datetimes(dt.datetime(2026, 2, 20), dt.datetime(2026, 3, 20), timezones=st.just(dt.timezone.utc)),
    st.sampled_from(["infinity", "-infinity"]))
driver_id = maybe(st.sampled_from(DRIVER_IDS))
# Text PostgreSQL can store: UTF-8 (no lone surrogates), no NUL.
name_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)
name = maybe(st.one_of(st.sampled_from(NAMES), name_text))
scout = maybe(st.sampled_from(SCOUTS))
person = maybe(st.sampled_from(PERSONS))
date_file = maybe(st.one_of(
    days.map(lambda d: d.strftime("%d-%m-%Y")), days.map(lambda d: d.isoformat()), st.sampled_from(BAD_DATE_FILES),
    days.map(lambda d: f" {d:%d-%m-%Y} "), st.text(alphabet="0123456789-/ ", max_size=11)))
json_scout = st.one_of(st.sampled_from(PAYLOAD_SCOUTS), st.integers(), st.floats(allow_nan=False, allow_infinity=False))
payload = maybe(st.one_of(st.fixed_dictionaries({"scout_id": json_scout}), st.lists(st.integers(), max_size=2),
                          st.just("scout"), st.just({})).map(Jsonb))
work_seconds = maybe(st.one_of(st.decimals(-10, 10**6, places=2), st.sampled_from(["NaN", "Infinity", "-Infinity"])))
source_table = maybe(st.sampled_from(["drivers", "module_ct_cabinet_leads", "module_ct_scouting_daily",
                                      "module_ct_migrations", "elsewhere"]))
source_pk = maybe(st.sampled_from(DRIVER_IDS[:4] + ["1", "2", "3", "E1", "E2", "orphan-9"]))


def rows(**columns):
    return st.lists(st.fixed_dictionaries(columns), max_size=4)


# Noise: messy rows anywhere, joined to nothing in particular.
NOISE = {
    "public.drivers": rows(driver_id=driver_id, full_name=name, first_name=name, middle_name=name, last_name=name,
                           updated_at=maybe(moments)),
    "public.summary_daily": rows(driver_id=driver_id, date_file=date_file,
                                 count_orders_completed=maybe(st.sampled_from(TRIPS)),
                                 sum_work_time_seconds=work_seconds, created_at=maybe(moments)),
    "public.module_ct_cabinet_leads": rows(id=maybe(st.integers(1, 3)),
                                           external_id=maybe(st.sampled_from(["E1", "E2", "1"])), first_name=name,
                                           lead_created_at=maybe(moments), created_at=maybe(moments)),
    "public.module_ct_scouting_daily": rows(id=maybe(st.integers(1, 3)), registration_date=maybe(any_day),
                                            scout_id=scout, driver_name=name, created_at=maybe(moments)),
    "public.module_ct_migrations": rows(id=maybe(st.integers(1, 3)), driver_id=driver_id, scout_id=scout,
                                        hire_date=maybe(any_day), created_at=maybe(moments)),
    "public.module_ct_cabinet_payments": rows(id=maybe(st.integers(1, 3)), date=maybe(any_day), driver=name,
                                              driver_id=driver_id, scout_id=scout, trip_1=maybe(st.booleans()),
                                              trip_5=maybe(st.booleans()), trip_25=maybe(st.booleans()),
                                              created_at=maybe(moments)),
    "public.module_ct_scouts_list": rows(scout_id=scout, raw_name=name, name=name, is_active=maybe(st.booleans())),
    "canon.identity_links": rows(person_key=person, source_table=source_table, source_pk=source_pk,
                                 linked_at=maybe(moments)),
    "observational.lead_ledger": rows(person_key=person, attributed_scout_id=scout, updated_at=maybe(moments)),
    "observational.lead_events": rows(source_table=source_table, source_pk=source_pk, event_date=maybe(any_day),
                                      person_key=person, scout_id=scout, payload_json=payload,
                                      created_at=maybe(moments)),
}


@st.composite
def raw_tables(draw) -> dict[str, list[dict]]:
    """The noise, plus up to 3 recruited drivers whose rows do join up (driver, 'drivers' link,
    a lead, trip days around it, a payment, scout evidence), each with messy values of its own,
    so the messy values reach the joins and sums of the views."""
    raw = {table: draw(strategy) for table, strategy in NOISE.items()}
    links = {}
    recruited = draw(st.lists(st.sampled_from(DRIVER_IDS), min_size=1, max_size=3, unique=True))
    for i, driver in enumerate(recruited):
        who, lead_id = PERSONS[i], 100 + i
        lead = draw(days)
        raw["public.drivers"].append({"driver_id": driver, "full_name": draw(name), "updated_at": draw(maybe(moments))})
        raw["public.module_ct_cabinet_leads"].append({"id": lead_id, "external_id": None, "lead_created_at": draw(
            st.one_of(st.just(dt.datetime.combine(lead, dt.time(9))), st.sampled_from(["infinity", "-infinity"])))})
        links[("drivers", driver)] = {"person_key": who, "source_table": "drivers", "source_pk": driver}
        links[("module_ct_cabinet_leads", str(lead_id))] = {
            "person_key": who, "source_table": "module_ct_cabinet_leads", "source_pk": str(lead_id)}
        days_worked = draw(st.lists(st.tuples(st.integers(-2, 16), st.sampled_from(TRIPS), work_seconds), max_size=4))
        if draw(st.booleans()):  # a loader glitch: two days of int-max trips inside the window
            days_worked += [(1, 2147483647, None), (2, 2147483647, None)]
        for offset, trips, seconds in days_worked:
            day = lead + dt.timedelta(days=offset)
            raw["public.summary_daily"].append({
                "driver_id": driver,
                "date_file": draw(st.sampled_from([f"{day:%d-%m-%Y}", day.isoformat(), f"{day:%d/%m/%Y}"])),
                "count_orders_completed": trips, "sum_work_time_seconds": seconds, "created_at": draw(maybe(moments))})
        raw["public.module_ct_cabinet_payments"].append({"id": lead_id, "driver": draw(name), "driver_id": draw(
            st.sampled_from([driver, None])), "scout_id": draw(scout), "trip_1": draw(maybe(st.booleans())),
            "trip_5": draw(maybe(st.booleans())), "trip_25": draw(maybe(st.booleans())), "date": draw(maybe(any_day))})
        raw["observational.lead_events"].append({  # the scout only in the payload, in some odd spelling
            "source_table": "module_ct_cabinet_leads", "source_pk": str(lead_id), "scout_id": None,
            "payload_json": Jsonb({"scout_id": draw(st.sampled_from(PAYLOAD_SCOUTS))}),
            "event_date": draw(maybe(any_day))})
        raw["observational.lead_ledger"].append({"person_key": who, "attributed_scout_id": draw(scout)})
    for row in raw["canon.identity_links"]:  # unique (source_table, source_pk): the recruited drivers' links win
        links.setdefault((row["source_table"], row["source_pk"]), row)
    raw["canon.identity_links"] = list(links.values())
    return raw


def unparseable(value) -> bool:
    """The rule of ops.parse_date_file read plainly: after trimming spaces, DD-MM-YYYY or
    YYYY-MM-DD in ASCII digits, a real calendar date, year 2000-2099."""
    text = (value or "").strip(" ")
    for pattern, order in ((r"(\d\d)-(\d\d)-(\d{4})", "dmy"), (r"(\d{4})-(\d\d)-(\d\d)", "ymd")):
        match = re.fullmatch(pattern, text, re.ASCII)
        if value is not None and match:
            parts = dict(zip(order, map(int, match.groups())))
            try:
                return not 2000 <= dt.date(parts["y"], parts["m"], parts["d"]).year <= 2099
            except ValueError:
                return True
    return True


@pytest.fixture(scope="module")
def fuzz_db(new_database):
    url = new_database()
    with psycopg.connect(url, autocommit=True) as conn:
        build_all(conn, url)  # views, function and MV on empty raw tables
        yield url, conn


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=raw_tables())
def test_messy_raw_rows_never_break_the_refresh_and_the_checks_say_what_is_wrong(fuzz_db, raw):
    url, conn = fuzz_db
    conn.execute(read_sql("contract/truncate_raw_tables.sql"))
    for table, table_rows in raw.items():
        insert_rows(conn, table, table_rows)

    staged = refresh_trip_stage(database(url))  # must not raise
    assert staged.mode == "full"  # the truncate between examples rewrote summary_daily
    outcome = refresh_materialized_view(database(url), COBRANZA_MV, FAST_REFRESH)  # must not raise
    rows_, distinct, non_null = conn.execute(
        compose("select count(*), count(distinct driver_id), count(driver_id) from {mv}", mv=MV)).fetchone()
    assert rows_ == distinct == non_null == outcome.rows
    assert rows_ == conn.execute("select count(*) from ops.v_cabinet_financial_14d").fetchone()[0]

    results = {spec.name: spec.run(conn, Thresholds()) for spec in CHECKS if spec.name not in NOT_RUN}
    failing = {name: result.description for name, result in results.items() if name in MUST_PASS and not result.passed}
    assert failing == {}
    expected_bad = sum(unparseable(row["date_file"]) for row in raw["public.summary_daily"])
    dates = results["unparseable_dates"]
    assert (dates.value, dates.passed) == (expected_bad, expected_bad == 0)
    assert results["scout_coverage"].passed is (rows_ > 0 and results["scout_coverage"].value >= 95)
