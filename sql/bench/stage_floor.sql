-- Benchmark only: the floor of what PostgreSQL can do for the staging step's result from raw:
-- a CREATE TABLE AS of the recruited drivers' deduplicated days (the rule of
-- staging/merge_days.sql, without the merge), and one of the raw rows whose date_file does not
-- parse (what the stage records for the unparseable_dates check), into temporary tables the
-- caller rolls back. date_files is materialized: inlined, the parse would run on every joined
-- row (in the join filter and the sort key).
-- Grain: one row per (recruited driver, day on/after the lead date); one row per unparseable
--   raw row.
create temporary table bench_stage_floor as
with recruited as (
    select driver_id, lead_date from ops.v_lead_dates
),

rows_of_recruited as (
    select s.driver_id, s.date_file, s.count_orders_completed, s.sum_work_time_seconds, s.created_at, recruited.lead_date
    from public.summary_daily as s
    join recruited using (driver_id)
),

date_files as materialized (
    select date_file, ops.parse_date_file(date_file) as trip_date
    from (select distinct date_file from rows_of_recruited) as files
)

select distinct on (r.driver_id, f.trip_date) r.driver_id, f.trip_date,
    greatest(coalesce(r.count_orders_completed, 0), 0) as trips, coalesce(r.sum_work_time_seconds > 0, false) as connected
from rows_of_recruited as r
join date_files as f using (date_file)
where f.trip_date >= r.lead_date
order by r.driver_id, f.trip_date, r.created_at desc nulls last, trips desc, connected desc;

create temporary table bench_unparseable_floor as
with date_files as materialized (
    select date_file, ops.parse_date_file(date_file) as trip_date
    from (select distinct date_file from public.summary_daily where date_file is not null) as files
)

select s.ctid as raw_ctid, s.driver_id, s.date_file, s.created_at
from public.summary_daily as s
left join date_files using (date_file)
where date_files.trip_date is null;
