"""The statements of each refresh mode, composed from the files of sql/mv/ and a spec.

Only identifiers, the SELECT's own text and the catalog's index declarations are composed in;
values are bound by the caller.
"""

from psycopg import sql

from cobranza_pipeline.warehouse.fingerprints import comment_text
from cobranza_pipeline.warehouse.matview.spec import NEXT_SUFFIX, DerivedTable, MaterializedViewSpec
from cobranza_pipeline.warehouse.matview.state import MatviewState
from cobranza_pipeline.warehouse.sqlfiles import sha256_of, statement


def build(spec: MaterializedViewSpec, suffix: str = "") -> list[sql.Composed]:
    """CREATE ... WITH DATA under the spec's name (plus suffix), then its indexes."""
    mv = sql.Identifier(spec.schema, spec.name + suffix)
    statements = [statement("mv/create.sql", mv=mv, select=sql.SQL(spec.select_sql))]
    for index in spec.indexes:
        statements.append(statement(
            "mv/create_index.sql",
            unique=sql.SQL("unique " if index.unique else ""),
            index=sql.Identifier(index.name + suffix),
            mv=mv,
            columns=sql.SQL(index.columns),
            where=sql.SQL(" where " + index.where) if index.where else sql.SQL(""),
        ))
    return statements


def drop_leftover(spec: MaterializedViewSpec) -> sql.Composed:
    return statement("mv/drop_leftover.sql", mv=sql.Identifier(spec.schema, spec.name + NEXT_SUFFIX))


def swap(spec: MaterializedViewSpec) -> list[sql.Composed]:
    """Replace the live MV by the rebuilt one; run in one short transaction."""
    statements = [
        statement("mv/drop.sql", mv=spec.identifier),
        statement("mv/rename.sql", mv=sql.Identifier(spec.schema, spec.name + NEXT_SUFFIX),
                  new_name=sql.Identifier(spec.name)),
    ]
    for index in spec.indexes:
        statements.append(statement("mv/rename_index.sql", index=sql.Identifier(spec.schema, index.name + NEXT_SUFFIX),
                                    new_name=sql.Identifier(index.name)))
    return statements


def refresh(spec: MaterializedViewSpec, concurrently: bool) -> sql.Composed:
    return statement("mv/refresh_concurrently.sql" if concurrently else "mv/refresh.sql", mv=spec.identifier)


def record(spec: MaterializedViewSpec, built: MatviewState) -> list[sql.Composed]:
    """COMMENTs on the MV and each declared index: what was built, as PostgreSQL deparses it
    (`built` is the state read right after the build)."""
    statements = [statement("mv/comment.sql", mv=spec.identifier, comment=sql.Literal(
        comment_text(spec.sql_file, spec.fingerprint, built.recorded.current_deparsed)))]
    for index in spec.indexes:
        definition = built.indexes[index.name]["definition"]
        statements.append(statement("mv/comment_index.sql", index=sql.Identifier(spec.schema, index.name),
                                    comment=sql.Literal(comment_text(index.name, index.fingerprint,
                                                                     sha256_of(definition)))))
    return statements


def derived_identifier(spec: MaterializedViewSpec, derived: DerivedTable) -> sql.Identifier:
    return sql.Identifier(spec.schema, derived.name)


def rebuild_derived(spec: MaterializedViewSpec, derived: DerivedTable) -> list[sql.Composed]:
    """Drop and create a derived table (it is new, or its declaration changed), with its COMMENT."""
    table = derived_identifier(spec, derived)
    return [
        statement("mv/derived_drop.sql", table=table),
        statement(derived.ddl_file, table=table),
        statement("mv/derived_comment.sql", table=table,
                  comment=sql.Literal(comment_text(derived.ddl_file, derived.fingerprint, derived.fingerprint))),
    ]


def fill_derived(spec: MaterializedViewSpec, derived: DerivedTable) -> list[sql.Composed]:
    table = derived_identifier(spec, derived)
    return [statement("mv/derived_clear.sql", table=table),
            statement(derived.fill_file, table=table, mv=spec.identifier)]


def analyze(spec: MaterializedViewSpec) -> sql.Composed:
    return statement("mv/analyze.sql", mv=spec.identifier)


def count_rows(spec: MaterializedViewSpec) -> sql.Composed:
    return count_rows_of(spec.identifier)


def count_rows_of(relation: sql.Identifier) -> sql.Composed:
    return statement("mv/count_rows.sql", relation=relation)

