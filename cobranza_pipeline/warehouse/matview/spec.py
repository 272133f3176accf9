"""What an MV is, as a declaration: its SELECT file, its indexes and what lies under it.

Nothing in the machinery names a particular MV: a MaterializedViewSpec is enough to create,
refresh, rebuild and check it (README "How the MV is materialized").
"""

import zlib
from dataclasses import dataclass, field

from psycopg import sql

from cobranza_pipeline.warehouse.sqlfiles import read_sql, sha256_of

MAX_IDENTIFIER = 63  # PostgreSQL truncates longer names, which would break the swap
NEXT_SUFFIX = "__next"  # name of a rebuild in progress, and of its indexes


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

    @property
    def fingerprint(self) -> str:
        return sha256_of(repr(self))


@dataclass(frozen=True)
class DerivedTable:
    """A small table computed from the MV (its aggregates, say) and refilled in the same
    transaction as every refresh, so readers always see the two of the same refresh."""

    name: str  # in the MV's schema
    ddl_file: str  # "create table <table> (...)"
    fill_file: str  # "insert into <table> ... from <mv>"

    @property
    def fingerprint(self) -> str:
        return sha256_of(read_sql(self.ddl_file), read_sql(self.fill_file))


@dataclass(frozen=True)
class MaterializedViewSpec:
    schema: str
    name: str
    indexes: tuple[IndexSpec, ...]
    deps: tuple[str, ...] = ()  # relations the SELECT reads (lineage)
    upstream_files: tuple[str, ...] = ()  # SQL files under it: a change there rebuilds it
    summary_sql_file: str | None = None  # one-row query whose columns become metadata
    select_file: str | None = None  # default: sql/<schema>/<name>.sql
    derived: tuple[DerivedTable, ...] = ()  # refilled with every refresh
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
    def identifier(self) -> sql.Identifier:
        return sql.Identifier(self.schema, self.name)

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

    @property
    def lock_params(self) -> dict[str, int]:
        return {"lock_class": self.lock_class, "lock_key": self.lock_key}
