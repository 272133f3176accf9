-- Merges raw summary_daily rows into the staged days of the recruited drivers.
-- Grain: one row of figures (rows read, newest created_at: never after now, NULL when no row
--   has one but -infinity; days merged, unparseable rows recorded, days changed); writes <days>
--   (one row per driver and day), <changed> (the days whose winner changed) and <unparseable>
--   (raw rows whose date_file does not parse).
-- Inputs: <source_rows> (rows_since.sql or rows_of_drivers.sql), <recruited> (driver_id,
--   lead_date), <day_wins> (day_wins.sql, or nothing for a full rebuild's load),
--   ops.parse_date_file.
-- Rules (docs/business-rules.md, "Daily trips"): each distinct date_file is parsed once; trips
--   are count_orders_completed with NULL and negatives as 0; connected = sum_work_time_seconds
--   > 0. A day reported twice keeps the row with the latest created_at (NULL last), ties: the
--   larger trip count, then connected: a merged row replaces a staged one only when it wins by
--   that order (day_wins.sql), so merging the same rows twice changes nothing. Only days on or after the
--   driver's lead date are staged. record_unparseable and record_changed say whether the
--   unparseable rows and the changed days are written (a backfill needs neither: its drivers'
--   figures are recomputed whole, and the census or the day's change records their bad rows).
with source_rows as (
    {source_rows}
),

-- Each distinct date_file parsed once. Materialized: inlined, the planner would evaluate the
-- parse on every joined row (in the join filter and the sort key).
date_files as materialized (
    select date_file, ops.parse_date_file(date_file) as trip_date
    from (select distinct date_file from source_rows where date_file is not null) as files
),

unparseable as (
    insert into {unparseable} (raw_ctid, driver_id, date_file, created_at)
    select source_rows.raw_ctid, source_rows.driver_id, source_rows.date_file, source_rows.created_at
    from source_rows
    left join date_files using (date_file)
    where date_files.trip_date is null and %(record_unparseable)s
    on conflict (raw_ctid) do nothing
    returning raw_ctid
),

days_of_recruited as (
    select
        source_rows.driver_id,
        date_files.trip_date,
        greatest(coalesce(source_rows.count_orders_completed, 0), 0) as trips,
        coalesce(source_rows.sum_work_time_seconds > 0, false) as connected,
        source_rows.created_at
    from source_rows
    join {recruited} as recruited on recruited.driver_id = source_rows.driver_id
    join date_files on date_files.date_file = source_rows.date_file
    where date_files.trip_date >= recruited.lead_date
),

winners as (
    select distinct on (driver_id, trip_date) driver_id, trip_date, trips, connected, created_at
    from days_of_recruited
    order by driver_id, trip_date, created_at desc nulls last, trips desc, connected desc
),

merged as (
    insert into {days} as staged (driver_id, trip_date, trips, connected, created_at)
    select driver_id, trip_date, trips, connected, created_at
    from winners
    {day_wins}
    returning driver_id, trip_date
),

changed as (
    insert into {changed} (driver_id, trip_date)
    select driver_id, trip_date from merged
    where %(record_changed)s
    on conflict do nothing
    returning driver_id
),

source_figures as (
    select count(*) as rows_read, nullif(least(max(created_at), statement_timestamp()), '-infinity') as newest_created_at
    from source_rows
)

select
    source_figures.rows_read,
    source_figures.newest_created_at,
    (select count(*) from merged) as days_merged,
    (select count(*) from unparseable) as unparseable_recorded,
    (select count(*) from changed) as days_changed
from source_figures
