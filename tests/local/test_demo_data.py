"""The demo/test data generator: deterministic, plausible, and carrying the deliberate mess."""

import datetime as dt
from dataclasses import replace

import psycopg
import pytest
from psycopg import sql

from cobranza_pipeline.local.demo.generate import TABLES, DemoConfig, load_demo_data

DRIVERS = 2000
AS_OF = dt.date(2026, 3, 1)
CONFIG = DemoConfig(drivers=DRIVERS, seed=7, as_of=AS_OF)
DMY, YMD = r"^\d{2}-\d{2}-\d{4}$", r"^\d{4}-\d{2}-\d{2}$"


@pytest.fixture(scope="module")
def loaded(new_database):
    """Three loads: twice the same config, once another seed. Returns {name: (url, counts)}."""
    out = {}
    for name, config in (("demo_a", CONFIG), ("demo_b", CONFIG), ("demo_c", replace(CONFIG, seed=8))):
        url = new_database()
        out[name] = (url, load_demo_data(url, config))
    return out


def fingerprints(url: str) -> dict[str, str]:
    """md5 of every table's rows in a fixed order."""
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(
                sql.SQL("select md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) from {} t")
                .format(sql.Identifier(*table.split(".")))
            ).fetchone()[0]
            for table in TABLES
        }


def scalar(url: str, query: str, params=None):
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchone()[0]


def test_same_seed_gives_identical_rows_and_another_seed_differs(loaded):
    a, b, c = (fingerprints(loaded[name][0]) for name in ("demo_a", "demo_b", "demo_c"))
    assert a == b
    assert loaded["demo_a"][1] == loaded["demo_b"][1]
    differing = [table for table in TABLES if a[table] != c[table]]
    # Every table differs except possibly the scout dimension, which is tiny.
    assert set(TABLES) - set(differing) <= {"public.module_ct_scouts_list"}


def test_returned_counts_are_exact_and_plausible(loaded):
    url, counts = loaded["demo_a"]
    assert list(counts) == list(TABLES)
    for table, count in counts.items():
        actual = scalar(url, sql.SQL("select count(*) from {}").format(sql.Identifier(*table.split("."))))
        assert actual == count, table
    n = DRIVERS
    assert counts["public.module_ct_scouts_list"] == 60
    assert n < counts["public.drivers"] <= n * 1.05  # plus the stale duplicates
    assert n * 0.80 < counts["public.module_ct_cabinet_leads"] < n * 0.90
    assert n * 0.25 < counts["public.module_ct_scouting_daily"] < n * 0.45
    assert n * 2 < counts["canon.identity_links"] < n * 3
    assert n * 0.40 < counts["observational.lead_ledger"] < n * 0.55
    assert n * 10 < counts["public.summary_daily"] < n * 25
    assert n * 0.2 < counts["public.module_ct_cabinet_payments"] < n * 0.8
    assert scalar(url, "select count(distinct driver_id) from public.drivers") == n
    assert scalar(url, "select count(*) from public.drivers where driver_id !~ '^[0-9a-f]{32}$'") == 0
    assert scalar(url, "select count(distinct person_key) from canon.identity_links") == n


def test_the_mess_is_present(loaded):
    url = loaded["demo_a"][0]
    dmy = scalar(url, "select count(*) from public.summary_daily where date_file ~ %s", (DMY,))
    ymd = scalar(url, "select count(*) from public.summary_daily where date_file ~ %s", (YMD,))
    unparseable = scalar(
        url,
        "select count(*) from public.summary_daily where not (date_file ~ %s or date_file ~ %s)"
        " or date_file in ('31-02-2026', '2026-13-01')",
        (DMY, YMD),
    )
    assert dmy > ymd > 0
    assert unparseable > 0
    # duplicate (driver, day): an older load with a different count
    assert scalar(url, """
        select count(*) from (
            select driver_id, date_file from public.summary_daily where date_file ~ %s or date_file ~ %s
            group by 1, 2
            having count(distinct created_at) > 1 and count(distinct count_orders_completed) > 1) d
        """, (DMY, YMD)) > 0
    assert scalar(url, """
        select count(*) from (select driver_id from public.drivers group by 1 having count(*) > 1) d
        """) > 0
    assert scalar(url, """
        select count(*) from public.drivers d
        where not exists (select 1 from canon.identity_links l
                          where l.source_table = 'drivers' and l.source_pk = d.driver_id)
        """) > 0
    assert scalar(url, "select count(*) from public.module_ct_cabinet_payments where driver_id is null") > 0
    assert scalar(url, "select count(*) from observational.lead_events where payload_json ? 'scout_id'") > 0


def test_scout_coverage_of_persons_matches_the_config(loaded):
    url = loaded["demo_a"][0]
    covered = scalar(url, """
        with evidence as (
            select person_key from observational.lead_ledger where attributed_scout_id is not null
            union
            select coalesce(e.person_key, l.person_key)
            from observational.lead_events e
            left join canon.identity_links l on l.source_table = e.source_table and l.source_pk = e.source_pk
            where coalesce(e.scout_id::text, e.payload_json ->> 'scout_id') is not null
            union
            select l.person_key from public.module_ct_migrations m
            join canon.identity_links l on l.source_table = 'module_ct_migrations' and l.source_pk = m.id::text
            where m.scout_id is not null
            union
            select l.person_key from public.module_ct_scouting_daily s
            join canon.identity_links l
              on l.source_table = 'module_ct_scouting_daily' and l.source_pk = s.id::text
            where s.scout_id is not null
            union
            select l.person_key from public.module_ct_cabinet_payments p
            join canon.identity_links l on l.source_table = 'drivers' and l.source_pk = p.driver_id
            where p.scout_id is not null)
        select count(distinct person_key) from evidence where person_key is not null
        """)
    assert abs(covered / DRIVERS - CONFIG.scout_coverage) <= 0.03


def test_no_mess_when_mess_rate_is_zero(new_database):
    url = new_database()
    counts = load_demo_data(url, DemoConfig(drivers=500, seed=3, as_of=AS_OF, mess_rate=0.0))
    assert counts["public.drivers"] == 500
    assert scalar(url, "select count(*) from canon.identity_links where source_table = 'drivers'") == 500
    assert scalar(url, """
        select count(*) from (select driver_id, date_file from public.summary_daily group by 1, 2
                              having count(*) > 1) d
        """) == 0
