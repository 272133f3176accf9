"""The ops layer built without Dagster, in the order the asset graph runs it: every view and
function of the catalog, the staged trips as soon as what they read is in place, then the
MV. The benchmark times it as the job's bare work; the tests build fixtures with it."""

import logging

from cobranza_pipeline.warehouse.catalog import COBRANZA_MV, NAME_CACHE, OPS_OBJECTS, TRIP_STAGE
from cobranza_pipeline.warehouse.matview.refresh import RefreshOutcome, RefreshSettings, refresh_materialized_view
from cobranza_pipeline.warehouse.name_cache import refresh_name_cache
from cobranza_pipeline.warehouse.sessions import Database
from cobranza_pipeline.warehouse.sql_objects import apply_sql_object, drop_retired_objects
from cobranza_pipeline.warehouse.staging import StageOutcome, StageSettings, refresh_trip_stage


def build_ops_layer(db: Database, stage: StageSettings = StageSettings(),
                    log: logging.Logger | None = None) -> StageOutcome:
    """Apply every ops object; run each staging step before the first object that reads it.
    Returns the trip stage's outcome."""
    steps = {NAME_CACHE.qualified_name: lambda: refresh_name_cache(db, log),
             TRIP_STAGE.qualified_name: lambda: refresh_trip_stage(db, stage, log)}
    outcomes = {}
    with db.connect() as conn:
        for obj in OPS_OBJECTS:
            for name in obj.deps:
                if name in steps and name not in outcomes:
                    outcomes[name] = steps[name]()
            apply_sql_object(conn, obj)
        drop_retired_objects(conn)
    return outcomes[TRIP_STAGE.qualified_name]


def build_all(db: Database, refresh: RefreshSettings = RefreshSettings(), stage: StageSettings = StageSettings(),
              log: logging.Logger | None = None) -> tuple[StageOutcome, RefreshOutcome]:
    """The ops layer, then the MV."""
    staged = build_ops_layer(db, stage, log)
    return staged, refresh_materialized_view(db, COBRANZA_MV, refresh, log=log)
