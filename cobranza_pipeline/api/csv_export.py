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

# In the column order of sql/queries/cabinet_export.sql.
HEADER = (
    "Driver ID", "Conductor", "Lead Date", "Semana ISO", "Semana Inicio", "Conectado", "Fecha Conexion",
    "Viajes 14D", "M1 Alcanzado", "M5 Alcanzado", "M25 Alcanzado",
    "Esperado M1 (S/)", "Esperado M5 (S/)", "Esperado M25 (S/)", "Esperado Total (S/)",
    "Claim M1 Existe", "Claim M1 Pagado", "Claim M5 Existe", "Claim M5 Pagado", "Claim M25 Existe",
    "Claim M25 Pagado", "Pagado M1 (S/)", "Pagado M5 (S/)", "Pagado M25 (S/)", "Pagado Total (S/)",
    "Deuda (S/)", "Scout ID", "Scout Nombre", "Calidad Scout", "Scout Fuente", "Scout Fecha Atribución",
    "Scout Prioridad",
)
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
