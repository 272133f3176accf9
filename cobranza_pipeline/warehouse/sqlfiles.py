"""The sql/ folder: every statement the product runs lives there, one concern per file.

Values are always bound parameters. Identifiers (and SQL text from other files of sql/) that
vary are composed into a file's text with psycopg's sql module, never with string formatting.
"""

import hashlib
import re
import string
from functools import cache
from pathlib import Path

from psycopg import sql

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


@cache
def read_sql(relative_path: str) -> str:
    """Text of a file under sql/, e.g. read_sql("ops/v_trips_daily.sql")."""
    path = SQL_DIR / relative_path
    if not path.is_file():
        raise FileNotFoundError(f"SQL file not found: {path}")
    return path.read_text(encoding="utf-8")


def sha256_of(*texts: str) -> str:
    """Hex digest of the texts in order; the code version stored in the database as well."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def statement(relative_path: str, **parts: sql.Composable) -> sql.Composed:
    """A one-statement file whose {name} placeholders are identifiers or SQL fragments, composed
    with them: statement("mv/refresh.sql", mv=sql.Identifier("ops", "mv_x")). The header
    comment stays in the file: the server (and pg_stat_activity) sees the statement alone."""
    return sql.SQL(without_header(read_sql(relative_path)).rstrip(";")).format(**parts)


def header_fields(relative_path: str) -> dict[str, str]:
    """The labelled lines of a file's header comment ("-- Grain: ...", continued on lines
    indented "--   "), as {label: text}."""
    fields: dict[str, str] = {}
    label = None
    for line in read_sql(relative_path).splitlines():
        if not line.startswith("--"):
            break
        text = line[2:]
        labelled = re.match(r" (\w[\w ]*): (.*)", text)
        if labelled:
            label = labelled[1]
            fields[label] = labelled[2].strip()
        elif label and text.startswith("   "):
            fields[label] += " " + text.strip()
        else:
            label = None
    return fields


def without_header(text: str) -> str:
    """The text after its leading comment lines."""
    lines = text.strip().splitlines()
    while lines and lines[0].lstrip().startswith("--"):
        lines.pop(0)
    return "\n".join(lines).strip()


def identifier(qualified_name: str) -> sql.Identifier:
    """'schema.name' as a quoted identifier."""
    return sql.Identifier(*qualified_name.split("."))


@cache
def read_query(relative_path: str, instead: tuple[tuple[str, str], ...] = ()) -> sql.Composed:
    """A query file whose {name} placeholders stand for other files of its folder (a shared
    CTE body such as queries/dashboard_filters.sql, itself possibly made of others), composed
    with psycopg.sql: the parts are SQL text from sql/, never values; values stay bound
    parameters. instead: (placeholder, file stem) pairs, a part read from another file of the
    folder (the dashboard's aggregates from the totals instead of the per-scout summary)."""
    return _composed(relative_path, keep_header=True, instead=dict(instead))


def _composed(relative_path: str, keep_header: bool, instead: dict[str, str]) -> sql.Composed:
    text = read_sql(relative_path) if keep_header else without_header(read_sql(relative_path))
    folder = relative_path.rpartition("/")[0]
    names = {field for _, field, _, _ in string.Formatter().parse(text) if field}
    return sql.SQL(text).format(**{
        name: _composed(f"{folder}/{instead.get(name, name)}.sql", keep_header=False, instead=instead) for name in names
    })
