-- A full rebuild's record of the unparseable rows: every raw summary_daily row whose date_file
-- gives no trip_date (NULL included), by ctid, into ops.stg_unparseable_rows, as the
-- incremental runs record those of each day's change (merge_days.sql). The days themselves
-- come from the recruited drivers' rows (rows_of_drivers.sql); this reads the raw table again
-- only when stage_date_files (date_files.sql) holds an unparseable value.
-- Grain: one row of figures: raw rows (the census's sum), the newest created_at (never after
--   now, NULL when no row has one but -infinity: the watermark), unparseable rows recorded.
-- Inputs: stage_date_files, public.summary_daily.
with bad_files as (
    select date_file from stage_date_files where trip_date is null
),

recorded as (
    insert into ops.stg_unparseable_rows (raw_ctid, driver_id, date_file, created_at)
    select s.ctid, s.driver_id, s.date_file, s.created_at
    from public.summary_daily as s
    where exists (select from bad_files)
      and (s.date_file is null or s.date_file in (select date_file from bad_files where date_file is not null))
    on conflict (raw_ctid) do nothing
    returning raw_ctid
)

select
    coalesce(sum(raw_rows), 0)::bigint as rows_read,
    nullif(least(max(newest_created_at), statement_timestamp()), '-infinity') as newest_created_at,
    (select count(*) from recorded) as unparseable_recorded
from stage_date_files
