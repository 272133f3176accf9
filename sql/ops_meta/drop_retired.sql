-- Views of earlier releases that read the park's whole summary_daily history, replaced by the
-- staged trips (README "Incremental pipeline"). Dropped once nothing reads them any more (the
-- views now reading the stage have been applied); dependents first, never CASCADE.
-- Grain: up to three views; nothing when they are gone already.
drop view if exists ops.v_driver_trips_14d;

drop view if exists ops.v_trips_daily;

drop view if exists ops.v_summary_daily_parsed;
