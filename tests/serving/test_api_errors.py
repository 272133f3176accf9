"""The API's answers when things are wrong, over real HTTP: no MV yet, no database, hostile
parameters; and a schemathesis run over the OpenAPI description that must find no 500."""

import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from cobranza_pipeline.serving.app import create_app
from cobranza_pipeline.serving.errors import ApiError
from cobranza_pipeline.serving.sessions import translated_errors
from tests.support.api_fixtures import (
    EXPORT,
    SCOUT_KPIS,
    TABLE,
    WEEKLY_KPIS,
    BackgroundServer,
    get,
)

ENDPOINTS = (TABLE, EXPORT, SCOUT_KPIS, WEEKLY_KPIS)


def serve(url: str):
    return BackgroundServer(create_app(url)).start()


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_missing_mv_is_a_503_with_the_hint(new_database, path):
    server = serve(new_database())  # raw tables only: nothing materialized yet
    try:
        reply = get(server.base, path)
    finally:
        server.stop()
    assert reply.status == 503
    assert reply.headers["retry-after"] == "30"
    detail = reply.json()["detail"]
    assert detail.startswith("ops.mv_yango_cabinet_cobranza_enriched_14d is not available")
    assert detail.endswith("run `cobranza materialize` to build it, then retry")
    assert "Traceback" not in reply.body.decode()


def test_an_unreachable_database_is_a_503_without_the_password():
    server = serve("postgresql://cobranza:s3cret-pw@127.0.0.1:1/cobranza?connect_timeout=2")
    try:
        replies = [get(server.base, path) for path in ENDPOINTS]
    finally:
        server.stop()
    assert [reply.status for reply in replies] == [503] * 4
    assert {reply.json()["detail"] for reply in replies} == {"the database is unavailable; retry shortly"}
    assert all(b"s3cret" not in reply.body for reply in replies)


@pytest.mark.parametrize("params", [
    {"week_start": "2026-03-09'; drop table public.drivers; --"},
    {"scout_id": "101 or 1=1"},
    {"min_debt": "0) or (1=1"},
    {"only_with_debt": "true; select pg_sleep(10)"},
])
def test_hostile_strings_are_refused_and_nothing_is_touched(api, fleet_url, params):
    assert get(api, TABLE, **params).status == 422
    with psycopg.connect(fleet_url) as conn:
        assert conn.execute("select count(*) from public.drivers").fetchone()[0] == 13


@pytest.mark.parametrize("value", ["'; drop table public.drivers; --", "M1\x00", "ｍ１", "m1" * 500])
def test_hostile_milestones_are_a_400_or_ignored(api, fleet_url, value):
    for path in (TABLE, EXPORT):
        assert get(api, path, reached_milestone=value).status == 400
    for path in (SCOUT_KPIS, WEEKLY_KPIS):  # the KPIs ignore an unknown value, as the old backend did
        assert get(api, path, reached_milestone=value).json() == get(api, path).json()
    with psycopg.connect(fleet_url) as conn:
        assert conn.execute("select count(*) from public.drivers").fetchone()[0] == 13


# The description is the app's own (no database is opened to produce it); the cases it
# generates go over real HTTP to the server on the fleet database.
api_schema = schemathesis.openapi.from_dict(create_app("postgresql://unused").openapi())


@api_schema.parametrize()
@settings(max_examples=15, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_fuzzed_requests_never_get_a_500(case, api):
    """Valid and invalid parameters (and other HTTP methods) on every operation and mount;
    derandomized so CI is repeatable: a failure here reproduces on every run."""
    response = case.call(base_url=api)
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code in {200, 400, 405, 413, 422}, response.text[:300]  # 405: other methods


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_422_is_one_sentence_that_never_echoes_the_input(api, path):
    # README "Reliability", item 21: FastAPI's default body repeated every input (10 KB here).
    reply = get(api, path, scout_id="x7" * 5_000, min_debt="lots")
    assert (reply.status, reply.json()) == (422, {"detail": "invalid min_debt: Input should be a valid decimal "
                                                            "(and 1 more)"})
    reply = get(api, path, scout_id="7" * 10_000)
    assert (reply.status, reply.json()) == (422, {"detail": "invalid scout_id: Unable to parse input string as an "
                                                            "integer, exceeded maximum size"})


@pytest.mark.parametrize("value", ["0", "1773014400", "2026-03-09T00:00:00", "20260309"])
def test_week_start_is_a_date_written_yyyy_mm_dd_never_a_timestamp(api, value):
    for name in ("week_start", "week_start_from", "week_start_to"):
        reply = get(api, TABLE, **{name: value})
        assert (reply.status, reply.json()) == (422, {"detail": f"invalid {name}: Value error, must be a date "
                                                                "written YYYY-MM-DD"})
    assert get(api, TABLE, week_start="2026-03-09").json()["meta"]["total"] == 6  # D06-D11


def test_a_serialization_failure_is_a_503_in_one_sentence(new_database):
    """A real SQLSTATE 40001 from PostgreSQL (two SERIALIZABLE transactions in write skew): the
    error class a replica's recovery conflict raises on a read, translated as the API does."""
    url = new_database()
    with psycopg.connect(url, autocommit=True) as setup:
        setup.execute("create table skew (id int primary key, on_call bool)")
        setup.execute("insert into skew values (1, true), (2, true)")
    first, second = psycopg.connect(url), psycopg.connect(url)
    try:
        for conn in (first, second):
            conn.execute("set transaction isolation level serializable")
            conn.execute("select count(*) from skew where on_call").fetchone()
        first.execute("update skew set on_call = false where id = 1")
        second.execute("update skew set on_call = false where id = 2")
        first.commit()
        with pytest.raises(ApiError) as answered:
            with translated_errors():
                second.commit()
    finally:
        first.close()
        second.close()
    assert (answered.value.status, answered.value.detail, answered.value.headers) == (
        503, "the read was cancelled by a conflict with changes being applied to the database (a replica "
             "replaying the primary); retry", {"Retry-After": "1"})
