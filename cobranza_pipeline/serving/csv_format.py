"""The CSV export: the old backend's 32 Spanish headers, formatted row by row while streaming.

UTF-8 with a BOM (so spreadsheet programs read the accents), minimal quoting, CRLF line ends;
NULL -> empty, booleans -> 'Sí'/'No', dates ISO, decimals with their stored digits. A text
value that a spreadsheet would run as a formula (starting with = + - @, tab or carriage
return) gets a leading apostrophe. Numbers are never altered: a debt of -25.00 stays -25.00.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from typing import Iterable, Iterator

BOM = "\ufeff"
FLUSH_EVERY_ROWS = 500

# The CSV's columns: the old backend's Spanish header and the table query's column it shows
# (the table's row without is_scout_resolved).
COLUMNS = (
    ("Driver ID", "driver_id"), ("Conductor", "driver_name"), ("Lead Date", "lead_date"),
    ("Semana ISO", "iso_week"), ("Semana Inicio", "week_start"), ("Conectado", "connected_flag"),
    ("Fecha Conexion", "connected_date"), ("Viajes 14D", "total_trips_14d"),
    ("M1 Alcanzado", "reached_m1_14d"), ("M5 Alcanzado", "reached_m5_14d"), ("M25 Alcanzado", "reached_m25_14d"),
    ("Esperado M1 (S/)", "expected_amount_m1"), ("Esperado M5 (S/)", "expected_amount_m5"),
    ("Esperado M25 (S/)", "expected_amount_m25"), ("Esperado Total (S/)", "expected_total_yango"),
    ("Claim M1 Existe", "claim_m1_exists"), ("Claim M1 Pagado", "claim_m1_paid"),
    ("Claim M5 Existe", "claim_m5_exists"), ("Claim M5 Pagado", "claim_m5_paid"),
    ("Claim M25 Existe", "claim_m25_exists"), ("Claim M25 Pagado", "claim_m25_paid"),
    ("Pagado M1 (S/)", "paid_amount_m1"), ("Pagado M5 (S/)", "paid_amount_m5"),
    ("Pagado M25 (S/)", "paid_amount_m25"), ("Pagado Total (S/)", "total_paid_yango"),
    ("Deuda (S/)", "amount_due_yango"), ("Scout ID", "scout_id"), ("Scout Nombre", "scout_name"),
    ("Calidad Scout", "scout_quality_bucket"), ("Scout Fuente", "scout_source_table"),
    ("Scout Fecha Atribución", "scout_attribution_date"), ("Scout Prioridad", "scout_priority"),
)
HEADER = tuple(header for header, _ in COLUMNS)
COLUMN_NAMES = tuple(column for _, column in COLUMNS)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def format_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: bool is an int
        return "Sí" if value else "No"
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")  # never exponent notation
    return str(value)


def csv_chunks(rows: Iterable[tuple]) -> Iterator[bytes]:
    """BOM and header first, then the rows, FLUSH_EVERY_ROWS at a time, as UTF-8 bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # QUOTE_MINIMAL, "\r\n"
    buffer.write(BOM)
    writer.writerow(HEADER)
    pending = 0
    for row in rows:
        writer.writerow([format_value(value) for value in row])
        pending += 1
        if pending == FLUSH_EVERY_ROWS:
            yield _drain(buffer)
            pending = 0
    if buffer.tell():  # what is left (the header alone, or the last rows); never an empty chunk
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def filename(now: datetime) -> str:
    return f"cabinet_financial_14d_{now:%Y%m%d_%H%M}.csv"
