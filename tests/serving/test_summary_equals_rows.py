"""The dashboard's aggregates read from the per-refresh summaries (the totals without a scout
filter, the per-scout summary with one: dashboard/queries.py picks) equal the same aggregates
read from every row of the MV, for every combination of filters.

The row-level versions of the queries (before the summary existed) are kept in
tests/warehouse/reference_sql/queries/; both read the same refreshed MV and are compared as
text, so a sum with another scale ("135.0" for "135.00") counts as a difference.
"""

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from psycopg import sql

from cobranza_pipeline.dashboard.filters import Filters, WeekRange
from cobranza_pipeline.dashboard.queries import aggregate_query
from cobranza_pipeline.local.demo.generate import DemoConfig, load_demo_data
from cobranza_pipeline.warehouse.sqlfiles import read_query, without_header
from tests.support.fixtures import build_all

REFERENCE = Path(__file__).resolve().parents[1] / "warehouse" / "reference_sql" / "queries"
QUERIES = ("cabinet_table_summary", "cabinet_table_count", "scout_kpis", "weekly_kpis", "scout_kpis_top_missing")


def reference_query(name: str) -> sql.Composed:
    filters = without_header((REFERENCE / "dashboard_filters.sql").read_text(encoding="utf-8"))
    return sql.SQL((REFERENCE / f"{name}.sql").read_text(encoding="utf-8")).format(dashboard_filters=sql.SQL(filters))


def as_text(conn, query, params) -> list[tuple]:
    return [tuple(str(value) for value in row) for row in conn.execute(query, params).fetchall()]


@pytest.fixture(scope="module")
def demo(new_database):
    import psycopg

    url = new_database()
    load_demo_data(url, DemoConfig(drivers=2500, seed=17, as_of=dt.date(2026, 6, 30)))
    with psycopg.connect(url, autocommit=True) as conn:
        build_all(conn, url)
        scout = conn.execute("select scout_id from ops.mv_yango_cabinet_cobranza_enriched_14d where scout_id is not null"
                             " group by 1 order by count(*) desc limit 1").fetchone()[0]
        weeks = [row[0] for row in conn.execute(
            "select distinct week_start from ops.mv_yango_cabinet_cobranza_enriched_14d order by 1 desc")]
        yield conn, scout, weeks


def filter_grid(scout, weeks):
    for debt, min_debt, band, scout_id, week in itertools.product(
            (False, True), (None, Decimal("25"), Decimal("100.00")), (None, "m1", "m5", "m25"), (None, scout),
            (None, weeks[0], weeks[len(weeks) // 2])):
        yield Filters(only_with_debt=debt, min_debt=min_debt, reached_milestone=band, scout_id=scout_id, week_start=week)
    for at_least in ("m1", "m5", "m25"):
        yield Filters(reached_at_least=at_least)
        yield Filters(only_with_debt=True, reached_at_least=at_least, week_start=weeks[1])
    for debt, band, (week_from, week_to) in itertools.product(
            (False, True), (None, "m5"), ((weeks[5], None), (weeks[8], weeks[2]), (None, weeks[-3]))):
        yield Filters(only_with_debt=debt, reached_milestone=band, week_start_from=week_from, week_start_to=week_to)


def test_every_aggregate_equals_its_row_level_version_for_every_filter(demo):
    conn, scout, weeks = demo
    ranges = [WeekRange(), WeekRange(scout_quality_bucket="MISSING"), WeekRange(limit_weeks=3)]
    compared = 0
    for filters in filter_grid(scout, weeks):
        for name in QUERIES:
            for weeks_range in (ranges if name == "weekly_kpis" else [WeekRange()]):
                params = {**filters.params(), **weeks_range.params()}
                query = read_query(f"queries/{name}.sql") if name == "scout_kpis_top_missing" else \
                    aggregate_query(f"queries/{name}.sql", filters)
                summary = as_text(conn, query, params)
                rows = as_text(conn, reference_query(name), params)
                assert summary == rows, (name, filters, weeks_range)
                compared += 1
    assert compared == (144 + 6 + 12) * (4 + 3)  # the grid, the cumulative bands, the week ranges


def test_the_page_choices_equal_their_row_level_version(demo):
    conn, _, weeks = demo
    for name in ("week_options", "scout_options"):
        assert as_text(conn, read_query(f"queries/{name}.sql"), {}) == as_text(conn, reference_query(name), {})
    assert [row[0] for row in conn.execute(read_query("queries/week_options.sql"))] == weeks


def test_the_grid_is_not_vacuous(demo):
    conn, scout, weeks = demo
    counts = conn.execute("select count(*), (select count(*) from ops.cobranza_missing_scout_top),"
                          " (select count(*) from ops.cobranza_dashboard_totals)"
                          " from ops.cobranza_dashboard_summary").fetchone()
    mv_rows = conn.execute("select count(*) from ops.mv_yango_cabinet_cobranza_enriched_14d").fetchone()[0]
    assert 0 < counts[0] < mv_rows and counts[1] > 10  # fewer groups than rows; examples in many groups
    assert 0 < counts[2] < counts[0] / 2  # the totals: the groups without the scout, far fewer
    some = Filters(only_with_debt=True, reached_milestone="m5", week_start=weeks[1])
    total = conn.execute(read_query("queries/cabinet_table_count.sql"), some.params()).fetchone()[0]
    assert total > 0
