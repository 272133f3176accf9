"""Hand-made fixture rows and the shortest path to a built ops layer (no Dagster)."""

from psycopg import sql

from cobranza_pipeline.settings import Settings
from cobranza_pipeline.warehouse import pipeline
from cobranza_pipeline.warehouse.matview.refresh import RefreshSettings
from cobranza_pipeline.warehouse.sessions import Database

FAST_REFRESH = RefreshSettings(statement_timeout_s=60, lock_timeout_s=5, lock_wait_s=5, attempts=1, backoff_s=0.1)


def insert_rows(conn, table: str, rows: list[dict]) -> None:
    """Insert dict rows into schema.table (columns from each dict's keys)."""
    for row in rows:
        conn.execute(
            sql.SQL("insert into {} ({}) values ({})").format(
                sql.Identifier(*table.split(".")),
                sql.SQL(", ").join(sql.Identifier(column) for column in row),
                sql.SQL(", ").join(sql.Placeholder() * len(row)),
            ),
            list(row.values()),
        )


def compose(template: str, **parts) -> sql.Composed:
    """SQL from a template whose {name} parts are identifiers (given as 'schema.name') or
    psycopg sql fragments: how tests vary identifiers without formatting strings."""
    return sql.SQL(template).format(
        **{key: part if isinstance(part, sql.Composable) else sql.Identifier(*part.split(".")) for key, part in parts.items()}
    )


def database(url: str) -> Database:
    """The database at url with the product's session settings in the business time zone the
    environment names now (as the Dagster resource builds it)."""
    return Database(url).with_session(timezone=business_timezone())


def business_timezone() -> str:
    return Settings.from_env().timezone


def build_ops_layer(conn) -> None:
    """Views, functions and the staged trips (no MV), on the database conn is connected to."""
    pipeline.build_ops_layer(database(conn.info.dsn))


def build_all(conn, url: str, settings: RefreshSettings = FAST_REFRESH):
    """Views, functions, the staged trips and the MV; returns the MV's refresh outcome."""
    return pipeline.build_all(database(url), settings)[1]


def query_dicts(conn, query, params=None) -> list[dict]:
    cur = conn.execute(query, params)
    columns = [column.name for column in cur.description]
    return [dict(zip(columns, row)) for row in cur.fetchall()]
