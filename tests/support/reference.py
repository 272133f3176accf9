"""The full recomputation the incremental pipeline must equal: the ops views as they were
before the staged trips and the performance work (tests/warehouse/reference_sql/ops/, plain
views over the park's whole summary_daily; the files the later work left unchanged are read
from sql/ops/), built under a schema of their own so they sit beside the product's."""

from pathlib import Path

from psycopg import sql

from cobranza_pipeline.warehouse.sqlfiles import SQL_DIR
from tests.support.fixtures import business_timezone

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "warehouse" / "reference_sql" / "ops"
PRODUCT_DIR = SQL_DIR / "ops"
# Dependency order of the reference files (the catalog's order at commit 34ab395).
REFERENCE_OBJECTS = (
    "normalize_name", "v_driver_identity", "v_summary_daily_parsed", "v_trips_daily", "v_lead_dates",
    "v_milestone_amounts", "v_yango_payments", "v_driver_trips_14d", "v_claims_14d", "v_cabinet_financial_14d",
    "v_scout_attribution_raw", "v_scout_attribution", "v_dim_scouts",
)
MV_SELECT = "mv_yango_cabinet_cobranza_enriched_14d"


def reference_sql(name: str, schema: str) -> str:
    """The reference text of one object (its frozen copy, else the product's unchanged file),
    with the ops schema renamed to `schema`."""
    path = REFERENCE_DIR / f"{name}.sql"
    text = (path if path.is_file() else PRODUCT_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return text.replace("ops.", f"{schema}.")


def build_reference(conn, schema: str = "ref") -> None:
    """The reference views and function under `schema`, in the business time zone (the dates
    of timestamptz values depend on it, as in the product's sessions)."""
    conn.execute("select set_config('TimeZone', %s, false)", (business_timezone(),))
    conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
    for name in REFERENCE_OBJECTS:
        conn.execute(reference_sql(name, schema))


def reference_mv_select(schema: str = "ref") -> sql.SQL:
    return sql.SQL(reference_sql(MV_SELECT, schema).strip().rstrip(";"))


def differences(conn, product: sql.Composable, reference: sql.Composable) -> tuple[int, int]:
    """(rows only in the product, rows only in the reference), duplicates counted; each side a
    relation or a parenthesized query."""
    query = sql.SQL("select count(*) from (select * from {} as a except all select * from {} as b) as d")
    return (conn.execute(query.format(product, reference)).fetchone()[0],
            conn.execute(query.format(reference, product)).fetchone()[0])
