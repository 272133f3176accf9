"""Assets: raw tables (external), the ops views and functions, and the materialized views.

Each asset is built from a catalog entry (warehouse/catalog.py), so adding a view or an MV is
one declaration there. Descriptions in the UI are the header comments of the SQL files.
"""

import time

from dagster import (
    AssetObservation,
    AssetSpec,
    Config,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableColumnConstraints,
    TableSchema,
    asset,
)

from cobranza_pipeline.orchestration.keys import (
    MV_GROUP,
    MV_REFRESH_POOL,
    RAW_GROUP,
    STAGE_GROUP,
    VIEWS_GROUP,
    asset_key,
)
from cobranza_pipeline.orchestration.metadata import metadata_value
from cobranza_pipeline.orchestration.resources import PostgresResource
from cobranza_pipeline.warehouse import name_cache, staging
from cobranza_pipeline.warehouse.catalog import NAME_CACHE, RAW_TABLES, TRIP_STAGE, RawTable, SqlObject, StagedTable
from cobranza_pipeline.warehouse.contract import verify_source_contract
from cobranza_pipeline.warehouse.matview.refresh import RefreshSettings, refresh_materialized_view
from cobranza_pipeline.warehouse.matview.serving import serving_now
from cobranza_pipeline.warehouse.matview.spec import MaterializedViewSpec
from cobranza_pipeline.warehouse.matview.state import read_columns
from cobranza_pipeline.warehouse.sql_objects import apply_sql_object, drop_retired_objects
from cobranza_pipeline.warehouse.sqlfiles import read_sql, sha256_of


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


class StageConfig(Config):
    """A staging run: follow the change (default), or rebuild from every raw row."""

    full_refresh: bool = False
    lookback_hours: float = 48.0


def _staged_asset(stage: StagedTable, code_version: str):
    return asset(key=asset_key(stage.qualified_name), deps=[asset_key(dep) for dep in stage.deps],
                 description=stage.description, group_name=STAGE_GROUP, code_version=code_version[:16],
                 kinds={"postgres", "table"})


def _outcome_metadata(outcome, **extra) -> dict:
    return {name: metadata_value(value) for name, value in {**extra, **vars(outcome)}.items()}


@_staged_asset(TRIP_STAGE, staging.definition_sha256())
def staged_trips(context, config: StageConfig, postgres: PostgresResource) -> MaterializeResult:
    db = postgres.database()
    with db.connect() as conn:
        verify_source_contract(conn)
    outcome = staging.refresh_trip_stage(db, staging.StageSettings(**config.model_dump()), log=context.log)
    return MaterializeResult(metadata=_outcome_metadata(outcome, **{"dagster/row_count": outcome.recruited_drivers}))


@_staged_asset(NAME_CACHE, name_cache.definition_sha256())
def normalized_names(context, postgres: PostgresResource) -> MaterializeResult:
    outcome = name_cache.refresh_name_cache(postgres.database(), log=context.log)
    return MaterializeResult(metadata=_outcome_metadata(outcome))


class RefreshConfig(Config):
    """Limits of one MV refresh; the defaults suit the daily job."""

    statement_timeout_s: float = 1800.0
    lock_timeout_s: float = 30.0
    lock_wait_s: float = 600.0
    attempts: int = 3
    backoff_s: float = 5.0
    work_mem_mb: int = 256
    swap_lock_timeout_s: float = 1.0  # a rebuild's swap: each try's lock_timeout
    swap_wait_s: float = 60.0  # how long the swap keeps trying past slow readers
    terminate_swap_blockers: bool = True  # then end the readers older than that (else fail)


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
        db = postgres.database()
        try:
            # Same contract check as the views: stop before any DDL when a raw column is gone.
            with db.connect() as conn:
                verify_source_contract(conn)
                drop_retired_objects(conn)
            outcome = refresh_materialized_view(
                db, spec, RefreshSettings(**config.model_dump()), run_id=context.run.run_id, log=context.log,
            )
        except Exception:
            report_stale_but_serving(context, db, spec)
            raise
        metadata = {
            "dagster/row_count": outcome.rows,
            "mode": outcome.mode,
            "duration_ms": outcome.duration_ms,
            "attempts": outcome.attempts,
        }
        metadata.update({name: metadata_value(value) for name, value in outcome.summary.items()})
        with db.connect() as conn:
            metadata["dagster/column_schema"] = TableSchema(columns=[
                TableColumn(name, type_name, constraints=TableColumnConstraints(nullable=nullable))
                for name, type_name, nullable in read_columns(conn, spec.qualified_name)])
        return MaterializeResult(metadata=metadata)

    return _matview


def report_stale_but_serving(context, db, spec: MaterializedViewSpec) -> None:
    """A failed refresh marks the asset failed, yet readers still get the previous rows: an
    observation on the asset says so, with how many rows and since when."""
    try:
        with db.connect() as conn:
            serving = serving_now(conn, spec)
    except Exception as exc:  # noqa: BLE001 - the refresh's own error is the one to raise
        context.log.warning(f"could not tell what {spec.qualified_name} still serves: {type(exc).__name__}")
        return
    stale = {"stale_since": MetadataValue.timestamp(time.time()), "rows_served": serving.rows}
    if serving.last_success is not None:
        stale["serving_rows_of"] = MetadataValue.timestamp(serving.last_success)
    status = (f"stale, serving the {serving.rows} rows of the refresh of {serving.last_success:%Y-%m-%d %H:%M %Z}"
              if serving.rows and serving.last_success else "stale, serving nothing: the MV was never populated")
    context.log_event(AssetObservation(asset_key=asset_key(spec.qualified_name), description=status,
                                       metadata={"serving": status, **stale}))


RAW_ASSETS = [raw_table_spec(table) for table in RAW_TABLES]
