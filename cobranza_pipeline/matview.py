"""Generic materialized-view machinery: declaration, state, and the DDL for each mode.

Nothing here names a particular MV. A MaterializedViewSpec (its SELECT file under sql/ and
its index list) is enough to create it, refresh it CONCURRENTLY, refresh it plainly when it
was never populated, and rebuild it under another name and swap it in when its definition or
anything under it changed. refresh.py runs these statements inside a locked, logged session.
"""

import re
import zlib
from dataclasses import dataclass, field

from psycopg import sql

from cobranza_pipeline.sqlfiles import read_sql, sha256_of

MAX_IDENTIFIER = 63  # PostgreSQL truncates longer names, which would break the swap
NEXT_SUFFIX = "__next"  # name of a rebuild in progress, and of its indexes
COMMENT_PREFIX = "cobranza-pipeline"
_COMMENT_FIELDS = re.compile(r"(?P<key>sha256|deparsed)=(?P<value>[0-9a-f]{64})")


@dataclass(frozen=True)
class IndexSpec:
    name: str
    columns: str  # column list as written in CREATE INDEX, e.g. "(week_start desc)"
    unique: bool = False
    where: str | None = None

    @property
    def is_plain_unique(self) -> bool:
        """Usable by REFRESH ... CONCURRENTLY: unique, no WHERE, no expression."""
        return self.unique and self.where is None and "(" not in self.columns.strip()[1:-1]


@dataclass(frozen=True)
class MaterializedViewSpec:
    schema: str
    name: str
    indexes: tuple[IndexSpec, ...]
    deps: tuple[str, ...] = ()  # relations the SELECT reads (lineage)
    upstream_files: tuple[str, ...] = ()  # SQL files under it: a change there rebuilds it
    summary_sql_file: str | None = None  # one-row query whose columns become metadata
    select_file: str | None = None  # default: sql/<schema>/<name>.sql
    lock_class: int = field(default=0x636F62, repr=False)  # advisory lock namespace ('cob')

    def __post_init__(self):
        names = [self.name + NEXT_SUFFIX] + [index.name + NEXT_SUFFIX for index in self.indexes]
        too_long = [name for name in names if len(name) > MAX_IDENTIFIER]
        if too_long:
            raise ValueError(f"identifiers longer than {MAX_IDENTIFIER} characters: {too_long}")
        if not any(index.is_plain_unique for index in self.indexes):
            raise ValueError(f"{self.qualified_name} needs a unique index on plain columns for CONCURRENTLY")

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def sql_file(self) -> str:
        return self.select_file or f"{self.schema}/{self.name}.sql"

    @property
    def select_sql(self) -> str:
        return read_sql(self.sql_file).strip().rstrip(";")

    @property
    def fingerprint(self) -> str:
        """Changes when the SELECT, the indexes or any SQL file under the MV changes."""
        texts = [self.select_sql, repr(self.indexes)]
        texts += [read_sql(path) for path in self.upstream_files]
        return sha256_of(*texts)

    @property
    def lock_key(self) -> int:
        """Second half of the advisory lock key: stable across processes and releases."""
        return zlib.crc32(self.qualified_name.encode()) & 0x7FFFFFFF


@dataclass(frozen=True)
class MatviewState:
    exists: bool
    is_populated: bool = False
    fingerprint: str | None = None
    deparsed_sha256: str | None = None
    current_deparsed_sha256: str | None = None
    indexes: dict[str, dict] = field(default_factory=dict)  # name -> is_valid, is_unique, ...


def read_state(conn, spec: MaterializedViewSpec) -> MatviewState:
    params = {"schema": spec.schema, "name": spec.name}
    row = conn.execute(read_sql("mv/matview_state.sql"), params).fetchone()
    if row is None:
        return MatviewState(exists=False)
    is_populated, comment, definition = row
    recorded = parse_comment(comment)
    cur = conn.execute(read_sql("mv/matview_indexes.sql"), params)
    columns = [column.name for column in cur.description]
    indexes = {values[0]: dict(zip(columns, values)) for values in cur.fetchall()}
    return MatviewState(
        exists=True,
        is_populated=is_populated,
        fingerprint=recorded.get("sha256"),
        deparsed_sha256=recorded.get("deparsed"),
        current_deparsed_sha256=sha256_of(definition),
        indexes=indexes,
    )


def index_declaration_sha256(index: IndexSpec) -> str:
    return sha256_of(repr(index))


def missing_or_invalid_indexes(spec: MaterializedViewSpec, state: MatviewState) -> list[str]:
    """Declared indexes that are absent, invalid, or not the index the machinery built from
    this declaration (recreated by hand under the same name, or declared differently now)."""
    wrong = []
    for index in spec.indexes:
        found = state.indexes.get(index.name)
        recorded = parse_comment(found["comment"]) if found else {}
        if (
            found is None
            or not found["is_valid"]
            or recorded.get("sha256") != index_declaration_sha256(index)
            or recorded.get("deparsed") != sha256_of(found["definition"])
        ):
            wrong.append(index.name)
    return wrong


def plan_mode(spec: MaterializedViewSpec, state: MatviewState) -> str:
    """create | rebuild | plain | concurrent, and why (for the log)."""
    if not state.exists:
        return "create"
    if state.fingerprint != spec.fingerprint:
        return "rebuild"
    if state.deparsed_sha256 != state.current_deparsed_sha256:
        return "rebuild"  # edited by hand in the database: restore the repository's definition
    if missing_or_invalid_indexes(spec, state):
        return "rebuild"
    if not state.is_populated:
        return "plain"
    return "concurrent"


def parse_comment(comment: str | None) -> dict[str, str]:
    if not comment or not comment.startswith(COMMENT_PREFIX):
        return {}
    return {m["key"]: m["value"] for m in _COMMENT_FIELDS.finditer(comment)}


def comment_text(source: str, fingerprint: str, deparsed: str) -> str:
    return f"{COMMENT_PREFIX}: {source} sha256={fingerprint} deparsed={deparsed}"


def relation(schema: str, name: str) -> sql.Identifier:
    return sql.Identifier(schema, name)


def create_statement(spec: MaterializedViewSpec, name: str) -> sql.Composed:
    return sql.SQL("create materialized view {} as\n{}\nwith data").format(
        relation(spec.schema, name), sql.SQL(spec.select_sql)
    )


def index_statements(spec: MaterializedViewSpec, name: str, suffix: str = "") -> list[sql.Composed]:
    statements = []
    for index in spec.indexes:
        statements.append(
            sql.SQL("create {unique}index {index} on {relation} {columns}{where}").format(
                unique=sql.SQL("unique " if index.unique else ""),
                index=sql.Identifier(index.name + suffix),
                relation=relation(spec.schema, name),
                columns=sql.SQL(index.columns),
                where=sql.SQL(" where " + index.where) if index.where else sql.SQL(""),
            )
        )
    return statements


def comment_statement(spec: MaterializedViewSpec, deparsed_sha256: str) -> sql.Composed:
    text = comment_text(spec.sql_file, spec.fingerprint, deparsed_sha256)
    return sql.SQL("comment on materialized view {} is {}").format(
        relation(spec.schema, spec.name), sql.Literal(text)
    )


def swap_statements(spec: MaterializedViewSpec) -> list[sql.Composed]:
    """Replace the live MV by the rebuilt one. Run in one short transaction. No CASCADE:
    if something outside the product depends on the MV, the drop fails and says so."""
    statements = [
        sql.SQL("drop materialized view {}").format(relation(spec.schema, spec.name)),
        sql.SQL("alter materialized view {} rename to {}").format(
            relation(spec.schema, spec.name + NEXT_SUFFIX), sql.Identifier(spec.name)
        ),
    ]
    for index in spec.indexes:
        statements.append(
            sql.SQL("alter index {} rename to {}").format(
                sql.Identifier(spec.schema, index.name + NEXT_SUFFIX), sql.Identifier(index.name)
            )
        )
    return statements


def index_comment_statements(spec: MaterializedViewSpec, definitions: dict[str, str]) -> list[sql.Composed]:
    """COMMENT ON INDEX for each declared index, given its current pg_get_indexdef text."""
    return [
        sql.SQL("comment on index {} is {}").format(
            sql.Identifier(spec.schema, index.name),
            sql.Literal(comment_text(index.name, index_declaration_sha256(index), sha256_of(definitions[index.name]))),
        )
        for index in spec.indexes
    ]


def refresh_statement(spec: MaterializedViewSpec, concurrently: bool) -> sql.Composed:
    return sql.SQL("refresh materialized view {}{}").format(
        sql.SQL("concurrently ") if concurrently else sql.SQL(""), relation(spec.schema, spec.name)
    )
