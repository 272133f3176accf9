"""Applying the ops layer's SQL objects (views and functions), one file each.

The database keeps, in each object's COMMENT, the hash of the file it was built from and the
hash of the definition as PostgreSQL deparsed it right after. An unchanged object is left
alone (no DDL, so no lock against a running refresh); a changed file, or a definition edited
by hand in the database, is re-applied.
"""

from dataclasses import dataclass

from psycopg import sql

from cobranza_pipeline import database
from cobranza_pipeline.catalog import SqlObject
from cobranza_pipeline.contract import verify_source_contract
from cobranza_pipeline.matview import comment_text, parse_comment
from cobranza_pipeline.sqlfiles import read_sql, sha256_of


@dataclass(frozen=True)
class AppliedObject:
    name: str
    sha256: str
    changed: bool  # True when DDL ran: new object, new file, or drift in the database


def object_ref(obj: SqlObject) -> str:
    """The object as regclass/regprocedure text, e.g. 'ops.normalize_name(text)'."""
    return f"{obj.qualified_name}({obj.signature})" if obj.kind == "function" else obj.qualified_name


def recorded_and_current(conn, obj: SqlObject) -> tuple[dict[str, str], str | None]:
    """(what the COMMENT records, sha256 of the current deparsed definition); ({}, None) if
    the object does not exist."""
    query = read_sql("ops_meta/function_state.sql" if obj.kind == "function" else "ops_meta/view_state.sql")
    row = conn.execute(query, {"ref": object_ref(obj)}).fetchone()
    if row is None or row[1] is None:
        return {}, None
    comment, definition = row
    return parse_comment(comment), sha256_of(definition)


def is_current(conn, obj: SqlObject, file_sha: str) -> bool:
    recorded, current = recorded_and_current(conn, obj)
    return recorded.get("sha256") == file_sha and recorded.get("deparsed") == current


def apply_sql_object(conn, obj: SqlObject) -> AppliedObject:
    """Verify the source contract, then (re)create the object if it is not current."""
    verify_source_contract(conn)
    text = read_sql(obj.sql_file)
    file_sha = sha256_of(text)
    if is_current(conn, obj, file_sha):
        return AppliedObject(obj.qualified_name, file_sha, changed=False)
    with conn.transaction():
        # Another run may be applying the same file now: wait for it, then look again.
        database.lock_ops_ddl(conn)
        if is_current(conn, obj, file_sha):
            return AppliedObject(obj.qualified_name, file_sha, changed=False)
        conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(obj.schema)))
        conn.execute(text)
        _, deparsed = recorded_and_current(conn, obj)
        conn.execute(
            sql.SQL("comment on {kind} {ref} is {text}").format(
                kind=sql.SQL(obj.kind),
                ref=_ref_sql(obj),
                text=sql.Literal(comment_text(obj.sql_file, file_sha, deparsed)),
            )
        )
    return AppliedObject(obj.qualified_name, file_sha, changed=True)


def _ref_sql(obj: SqlObject) -> sql.Composable:
    name = sql.Identifier(obj.schema, obj.name)
    if obj.kind == "function":
        return sql.SQL("{}({})").format(name, sql.SQL(obj.signature))
    return name
