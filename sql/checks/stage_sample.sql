-- The reconciliation check's sample (stage_sample_drivers.sql), recomputed in one shot from
-- every raw row it has, with the staging rule (staging/merge_days.sql, staging/summarize.sql) into
-- temporary copies of the staged tables; stage_sample_differences.sql then compares.
-- Grain: temporary tables dropped at commit (the caller rolls the transaction back):
--   stage_recruited and stage_rebuild (the sample), stage_changed (empty), check_days,
--   check_summary, check_unparseable shaped as the staged tables.
alter table stage_recruited add primary key (driver_id);

create temporary table stage_rebuild on commit drop as select driver_id from stage_recruited;

create temporary table stage_changed (driver_id text, trip_date date, primary key (driver_id, trip_date))
    on commit drop;

create temporary table check_days (like ops.stg_trip_days including all) on commit drop;

create temporary table check_summary (like ops.stg_driver_trips_14d including all) on commit drop;

create temporary table check_unparseable (like ops.stg_unparseable_rows including all) on commit drop;

analyze stage_recruited;
