-- The staged trip data of the recruited drivers: what the daily job keeps current from the
-- day's change instead of recomputing the park's whole history (README "Incremental pipeline").
-- Grain: ops.stg_trip_days one row per (driver_id, trip_date) of a recruited driver on or after
--   its lead date (the winning summary_daily row of that day); ops.stg_driver_trips_14d one row
--   per recruited driver (the 14-day window's figures); ops.stg_unparseable_rows one row per raw
--   summary_daily row whose date_file does not parse (by its ctid); ops.stage_state one row per
--   stage (its watermark and the raw table's integrity markers).
-- Inputs: written only by the staging step (warehouse/staging.py).
-- Rules: the state an incremental run relies on lives here, beside the data it describes, so a
--   restore or a second deployment cannot diverge from it.
create schema if not exists ops;

create table if not exists ops.stg_trip_days (
    driver_id  text not null,
    trip_date  date not null,
    trips      integer not null,
    connected  boolean not null,
    created_at timestamptz,
    primary key (driver_id, trip_date)
);

create index if not exists stg_trip_days_connected on ops.stg_trip_days (driver_id, trip_date) where connected;

create table if not exists ops.stg_driver_trips_14d (
    driver_id         text primary key,
    lead_date         date not null,
    total_trips_14d   integer not null,
    connected_date    date,
    m1_achieved_date  date,
    m5_achieved_date  date,
    m25_achieved_date date,
    staged_at         timestamptz not null default clock_timestamp()
);

create table if not exists ops.stg_unparseable_rows (
    raw_ctid   tid primary key,
    driver_id  text,
    date_file  text,
    created_at timestamptz
);

create table if not exists ops.stage_state (
    stage                 text primary key,
    definition_sha256     text not null,
    high_water            timestamptz,
    source_oid            oid,
    source_relfilenode    oid,
    source_updates        bigint,
    source_deletes        bigint,
    stats_reset           timestamptz,
    last_mode             text not null,
    last_full_at          timestamptz,
    last_run_at           timestamptz not null default clock_timestamp()
);
