"""The sql/ folder: every statement the product runs lives there, one concern per file."""

import hashlib
from functools import cache
from pathlib import Path

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
