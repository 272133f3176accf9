-- The days whose staged winner changed in this run (filled by merge_days.sql).
-- Grain: one row per (driver_id, trip_date); a temporary table dropped at commit.
create temporary table stage_changed (
    driver_id text not null,
    trip_date date not null,
    primary key (driver_id, trip_date)
) on commit drop
