"""The sql/ folder: every statement the product runs lives there, one concern per file."""

import hashlib
import string
from functools import cache
from pathlib import Path

from psycopg import sql

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"


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


@cache
def read_query(relative_path: str) -> sql.Composed:
    """A query file whose {name} placeholders stand for other files of its folder (a shared
    CTE body such as queries/dashboard_filters.sql), composed with psycopg.sql: the parts are
    SQL text from sql/, never values; values stay bound parameters."""
    text = read_sql(relative_path)
    folder = relative_path.rpartition("/")[0]
    names = {field for _, field, _, _ in string.Formatter().parse(text) if field}
    return sql.SQL(text).format(**{name: sql.SQL(read_sql(f"{folder}/{name}.sql").strip()) for name in names})
