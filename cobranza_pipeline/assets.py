"""Assets: raw tables (external), the ops views and functions, and the materialized views.

Each asset is built from a catalog entry, so adding a view or an MV is one declaration in
catalog.py. Descriptions in the UI are the header comments of the SQL files.
"""

from decimal import Decimal

from dagster import AssetExecutionContext, AssetKey, AssetSpec, Config, MaterializeResult, MetadataValue, asset

from cobranza_pipeline.catalog import RAW_TABLES, RawTable, SqlObject
from cobranza_pipeline.contract import verify_source_contract
from cobranza_pipeline.matview import MaterializedViewSpec
from cobranza_pipeline.refresh import RefreshSettings, refresh_materialized_view
from cobranza_pipeline.resources import PostgresResource
from cobranza_pipeline.sqlfiles import read_sql, sha256_of
from cobranza_pipeline.views import apply_sql_object

RAW_GROUP = "raw_sources"
VIEWS_GROUP = "ops_views"
MV_GROUP = "ops_mv"
MV_REFRESH_POOL = "cobranza_mv_refresh"


def asset_key(qualified_name: str) -> AssetKey:
    return AssetKey(qualified_name.split("."))


def header_description(sql_text: str) -> str:
    """The leading comment block of a SQL file, without the comment markers."""
    lines = []
    for line in sql_text.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return "\n".join(lines)


def raw_table_spec(table: RawTable) -> AssetSpec:
    return AssetSpec(
        key=asset_key(table.qualified_name),
        description=table.description,
        group_name=RAW_GROUP,
        kinds={"postgres"},
    )


def sql_object_asset(obj: SqlObject):
    text = read_sql(obj.sql_file)

    @asset(
        key=asset_key(obj.qualified_name),
        deps=[asset_key(dep) for dep in obj.deps],
        description=header_description(text),
        group_name=VIEWS_GROUP,
        code_version=sha256_of(text)[:16],
        kinds={"postgres", "sql"},
    )
    def _sql_object(context, postgres: PostgresResource) -> MaterializeResult:
        with postgres.connect() as conn:
            applied = apply_sql_object(conn, obj)
        context.log.info("%s %s", obj.qualified_name, "applied" if applied.changed else "already current")
        return MaterializeResult(
            metadata={
                "sql_file": obj.sql_file,
                "sha256": applied.sha256,
                "definition_changed": applied.changed,
            }
        )

    return _sql_object


class RefreshConfig(Config):
    """Limits of one MV refresh; the defaults suit the daily job."""

    statement_timeout_s: float = 1800.0
    lock_timeout_s: float = 30.0
    lock_wait_s: float = 600.0
    attempts: int = 3
    backoff_s: float = 5.0
    work_mem_mb: int = 256


def matview_asset(spec: MaterializedViewSpec):
    @asset(
        key=asset_key(spec.qualified_name),
        deps=[asset_key(dep) for dep in spec.deps],
        description=header_description(read_sql(spec.sql_file)),
        group_name=MV_GROUP,
        code_version=spec.fingerprint[:16],
        kinds={"postgres", "sql"},
        pool=MV_REFRESH_POOL,
    )
    def _matview(context, config: RefreshConfig, postgres: PostgresResource) -> MaterializeResult:
        # Same contract check as the views: stop before any DDL when a raw column is gone.
        with postgres.connect() as conn:
            verify_source_contract(conn)
        outcome = refresh_materialized_view(
            postgres.url(),
            spec,
            RefreshSettings(**config.model_dump()),
            run_id=context.run.run_id,
            log=context.log,
        )
        metadata = {
            "dagster/row_count": outcome.rows,
            "mode": outcome.mode,
            "duration_ms": outcome.duration_ms,
            "attempts": outcome.attempts,
        }
        metadata.update({name: metadata_value(value) for name, value in outcome.summary.items()})
        return MaterializeResult(metadata=metadata)

    return _matview


def metadata_value(value):
    """Numbers stay plottable in the UI; money also keeps its exact text."""
    if isinstance(value, Decimal):
        return MetadataValue.float(float(value))
    if value is None:
        return MetadataValue.null()
    return value


@asset(
    key=AssetKey(["ops", "validation_report"]),
    deps=[asset_key("ops.mv_yango_cabinet_cobranza_enriched_14d")],
    group_name=MV_GROUP,
    kinds={"json"},
)
def validation_report(context: AssetExecutionContext, postgres: PostgresResource) -> MaterializeResult:
    """The whole validation suite as one JSON report (the same as `cobranza validate`), so the
    numbers of every check are in the UI next to the MV. It records failures, it does not fail.
    Checks this run already evaluated are taken from their evaluations, not run again."""
    from cobranza_pipeline.checks_dagster import evaluated_in_run
    from cobranza_pipeline.validate import run_suite

    evaluated = evaluated_in_run(context.instance, context.run.run_id)
    with postgres.connect() as conn:
        report = run_suite(conn, evaluated=evaluated)
    return MaterializeResult(
        metadata={
            "status": report["status"],
            "checks_passed": report["counts"]["pass"],
            "checks_warned": report["counts"]["warn"],
            "checks_failed": report["counts"]["fail"],
            "report": MetadataValue.json(report),
        }
    )


RAW_ASSETS = [raw_table_spec(table) for table in RAW_TABLES]
