-- ops.v_summary_daily_parsed: raw daily summary rows with their date parsed.
-- Grain: one row per public.summary_daily row (nothing dropped, so checks can count defects).
-- Inputs: public.summary_daily.
-- Rules: date_file is text 'DD-MM-YYYY' or 'YYYY-MM-DD'; anything else, or a calendar-invalid
--   date such as 31-02-2026, gives trip_date NULL (never an error). Trips are
--   count_orders_completed with NULL and negative counts taken as 0; connected means
--   sum_work_time_seconds > 0.
create or replace view ops.v_summary_daily_parsed as

with summary_daily as (
    select driver_id, date_file, count_orders_completed, sum_work_time_seconds, created_at
    from public.summary_daily
),

date_parts as (
    select
        *,
        case
            when date_file ~ '^\s*\d{2}-\d{2}-\d{4}\s*$' then
                array[substr(trim(date_file), 7, 4), substr(trim(date_file), 4, 2), substr(trim(date_file), 1, 2)]::int[]
            when date_file ~ '^\s*\d{4}-\d{2}-\d{2}\s*$' then
                array[substr(trim(date_file), 1, 4), substr(trim(date_file), 6, 2), substr(trim(date_file), 9, 2)]::int[]
        end as ymd
    from summary_daily
),

valid_dates as (
    select
        *,
        -- case, not and: make_date must only see a valid year and month
        case
            when ymd[1] between 1900 and 2999 and ymd[2] between 1 and 12
                then ymd[3] between 1 and extract(day from make_date(ymd[1], ymd[2], 1) + interval '1 month - 1 day')
            else false
        end as is_date_valid
    from date_parts
)

select
    driver_id,
    date_file,
    case when is_date_valid then make_date(ymd[1], ymd[2], ymd[3]) end as trip_date,
    greatest(coalesce(count_orders_completed, 0), 0) as trips,
    coalesce(sum_work_time_seconds > 0, false) as connected,
    created_at
from valid_dates;
