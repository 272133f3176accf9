"""Applying the ops layer's SQL objects (views and functions), one file each.

An object that is current (warehouse/fingerprints.py) is left alone: no DDL, so no lock
against a running refresh. A changed file, or a definition edited by hand in the database, is
re-applied and its COMMENT rewritten.
"""

from dataclasses import dataclass

from psycopg import sql

from cobranza_pipeline.warehouse.catalog import SqlObject
from cobranza_pipeline.warehouse.contract import verify_source_contract
from cobranza_pipeline.warehouse.fingerprints import Recorded, comment_text, drift
from cobranza_pipeline.warehouse.sessions import lock_ops_ddl
from cobranza_pipeline.warehouse.sqlfiles import read_sql, sha256_of, statement


@dataclass(frozen=True)
class AppliedObject:
    name: str
    sha256: str
    changed: bool  # True when DDL ran: new object, new file, or drift in the database


def recorded_state(conn, obj: SqlObject) -> Recorded:
    """What the database holds for obj (Recorded(None, None) when it does not exist)."""
    query = read_sql("ops_meta/function_state.sql" if obj.kind == "function" else "ops_meta/view_state.sql")
    ref = f"{obj.qualified_name}({obj.signature})" if obj.kind == "function" else obj.qualified_name
    row = conn.execute(query, {"ref": ref}).fetchone()
    if row is None or row[1] is None:
        return Recorded(None, None)
    comment, definition = row
    return Recorded(comment, sha256_of(definition))


def file_sha256(obj: SqlObject) -> str:
    return sha256_of(read_sql(obj.sql_file))


def apply_sql_object(conn, obj: SqlObject) -> AppliedObject:
    """Verify the source contract, then (re)create the object if it is not current."""
    verify_source_contract(conn)
    expected = file_sha256(obj)
    if drift(recorded_state(conn, obj), expected) is None:
        return AppliedObject(obj.qualified_name, expected, changed=False)
    with conn.transaction():
        # Another run may be applying the same file now: wait for it, then look again.
        lock_ops_ddl(conn)
        if drift(recorded_state(conn, obj), expected) is None:
            return AppliedObject(obj.qualified_name, expected, changed=False)
        conn.execute(statement("ops_meta/create_schema.sql", schema=sql.Identifier(obj.schema)))
        conn.execute(read_sql(obj.sql_file))
        deparsed = recorded_state(conn, obj).current_deparsed
        conn.execute(_comment_statement(obj, comment_text(obj.sql_file, expected, deparsed)))
    return AppliedObject(obj.qualified_name, expected, changed=True)


def drop_retired_objects(conn) -> None:
    """Drop the ops views earlier releases built and nothing reads any more."""
    with conn.transaction():
        lock_ops_ddl(conn)
        conn.execute(read_sql("ops_meta/drop_retired.sql"))


def _comment_statement(obj: SqlObject, text: str) -> sql.Composed:
    name, comment = sql.Identifier(obj.schema, obj.name), sql.Literal(text)
    if obj.kind == "function":
        return statement("ops_meta/comment_function.sql", function=name, signature=sql.SQL(obj.signature),
                         comment=comment)
    return statement("ops_meta/comment_view.sql", view=name, comment=comment)
