"""GET .../cabinet-financial-14d/export over real HTTP: BOM and header, the table's filters,
Sí/No, empty NULLs, the formula guard, the row cap, and a streamed (chunked) body."""

import csv
import io
import re

import pytest

from cobranza_pipeline.serving.app import create_app
from cobranza_pipeline.serving.csv_format import HEADER, format_value
from cobranza_pipeline.settings import ApiSettings
from tests.support.api_fixtures import (
    EXPORT,
    FORMULA_NAME,
    ORDER,
    SCOUT_NAME_101,
    WEEK1,
    WEEK2,
    BackgroundServer,
    get,
)

BOM = b"\xef\xbb\xbf"


def export(api, path=EXPORT, **params):
    reply = get(api, path, **params)
    assert reply.status == 200, reply.body
    return reply


def parse(body: bytes) -> list[list[str]]:
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[len(BOM):].decode("utf-8"), newline="")))


def test_bytes_start_with_the_bom_and_the_header(api):
    reply = export(api)
    expected_header = ",".join(HEADER).encode("utf-8") + b"\r\n"
    assert reply.body.startswith(BOM + expected_header)
    assert reply.headers["content-type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="cabinet_financial_14d_\d{8}_\d{4}\.csv"',
                        reply.headers["content-disposition"])
    assert reply.headers["transfer-encoding"] == "chunked"  # streamed, no Content-Length
    assert len(HEADER) == 32


def test_rows_in_the_table_order_formatted(api):
    rows = parse(export(api).body)
    assert rows[0] == list(HEADER)
    assert [row[0] for row in rows[1:]] == ORDER
    by_id = {row[0]: dict(zip(HEADER, row)) for row in rows[1:]}
    d01 = by_id["D01"]
    assert (d01["Lead Date"], d01["Semana Inicio"], d01["Semana ISO"]) == ("2026-03-04", "2026-03-02", "2026-10")
    assert (d01["M1 Alcanzado"], d01["M25 Alcanzado"], d01["Claim M1 Pagado"], d01["Claim M5 Pagado"]) == ("Sí", "Sí", "Sí", "No")
    assert (d01["Esperado Total (S/)"], d01["Pagado Total (S/)"], d01["Deuda (S/)"]) == ("160.00", "25.00", "135.00")
    assert (d01["Scout ID"], d01["Calidad Scout"], d01["Scout Prioridad"]) == ("101", "SATISFACTORY_LEDGER", "1")
    d04 = by_id["D04"]
    assert (d04["Scout ID"], d04["Scout Nombre"], d04["Scout Fuente"], d04["Scout Fecha Atribución"]) == ("", "", "", "")
    assert by_id["D11"]["Deuda (S/)"] == "-25.00"  # a number is never guarded


def test_a_value_starting_with_a_formula_character_is_guarded(api):
    by_id = {row[0]: dict(zip(HEADER, row)) for row in parse(export(api).body)[1:]}
    assert FORMULA_NAME.startswith("=") and by_id["D11"]["Conductor"] == "'" + FORMULA_NAME
    assert SCOUT_NAME_101.startswith("@") and by_id["D01"]["Scout Nombre"] == "'" + SCOUT_NAME_101


@pytest.mark.parametrize("params, expected", [
    ({"only_with_debt": "true"}, ["D12", "D06", "D07", "D08", "D13", "D01", "D02", "D03"]),
    ({"min_debt": "100"}, ["D12", "D06", "D01"]),
    ({"reached_milestone": "m5"}, ["D07", "D02"]),
    ({"scout_id": "101"}, ["D12", "D01"]),
    ({"week_start": WEEK2.isoformat(), "reached_milestone": "m1"}, ["D08"]),
    ({"week_start_to": WEEK1.isoformat(), "only_with_debt": "true"}, ["D13", "D01", "D02", "D03"]),  # the range too
])
def test_the_tables_filters_apply(api, params, expected):
    assert [row[0] for row in parse(export(api, **params).body)[1:]] == expected


def test_no_rows_is_the_header_alone(api):
    assert parse(export(api, scout_id=999).body) == [list(HEADER)]


def test_the_payments_mount_answers_too(api):
    assert parse(export(api, "/api/v1/payments/cabinet-financial-14d/export").body)[1][0] == "D12"


def test_unknown_milestone_is_a_400_and_bad_types_422(api):
    assert get(api, EXPORT, reached_milestone="m7").status == 400
    assert get(api, EXPORT, min_debt="lots").status == 422
    assert get(api, EXPORT, week_start_from=WEEK2.isoformat(), week_start_to=WEEK1.isoformat()).status == 400


def test_more_rows_than_the_cap_is_a_413_with_a_clear_error(fleet_url):
    server = BackgroundServer(create_app(fleet_url, ApiSettings(export_max_rows=5))).start()
    try:
        too_many = get(server.base, EXPORT)
        assert too_many.status == 413
        assert too_many.json()["detail"] == ("the export would have 13 rows, more than the limit of 5: "
                                             "narrow the filters (week_start, min_debt, reached_milestone, scout_id)")
        assert len(parse(get(server.base, EXPORT, min_debt="100").body)) == 4  # 3 rows fit
    finally:
        server.stop()


def test_many_rows_arrive_in_several_chunks(fleet_url, monkeypatch):
    """Streamed: the body leaves in chunks of FLUSH_EVERY_ROWS rows, fetched by a cursor."""
    from cobranza_pipeline.dashboard import queries
    from cobranza_pipeline.serving import csv_format

    monkeypatch.setattr(csv_format, "FLUSH_EVERY_ROWS", 2)
    monkeypatch.setattr(queries, "EXPORT_FETCH_ROWS", 3)
    chunks = list(csv_format.csv_chunks(iter([("D1", True, None)] * 5)))
    assert [chunk.count(b"\r\n") for chunk in chunks] == [3, 2, 1]  # header+2, 2, 1
    assert [len(list(csv_format.csv_chunks(iter([("D1",)] * n)))) for n in (0, 4)] == [1, 2]  # no empty tail
    server = BackgroundServer(create_app(fleet_url)).start()
    try:
        assert [row[0] for row in parse(get(server.base, EXPORT).body)[1:]] == ORDER
    finally:
        server.stop()


@pytest.mark.parametrize("value, text", [
    (None, ""), (True, "Sí"), (False, "No"), ("-1+2", "'-1+2"), ("+51 999", "'+51 999"),
    ("\tx", "'\tx"), ("plain", "plain"), (7, "7"),
])
def test_format_value(value, text):
    assert format_value(value) == text
