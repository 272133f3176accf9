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

shaped as (
    select
        summary_daily.*,
        trim(date_file) as date_text,
        translate(trim(date_file), '0123456789', '9999999999') as shape
    from summary_daily
),

-- Materialized on purpose: inlined, every later reference of y, m or d (and so of trip_date
-- downstream) would repeat the whole parse, as PostgreSQL copies expressions instead of
-- reusing them; that made this view about 10x slower.
date_parts as materialized (
    select
        *,
        case shape
            when '99-99-9999' then substr(date_text, 7, 4)::integer
            when '9999-99-99' then substr(date_text, 1, 4)::integer
        end as y,
        case shape
            when '99-99-9999' then substr(date_text, 4, 2)::integer
            when '9999-99-99' then substr(date_text, 6, 2)::integer
        end as m,
        case shape
            when '99-99-9999' then substr(date_text, 1, 2)::integer
            when '9999-99-99' then substr(date_text, 9, 2)::integer
        end as d
    from shaped
),

-- Day 31 of a 30-day month rolls into the next month: a date is valid when it does not roll.
-- Nested case, not and: make_date must only ever see a valid year and month.
parsed as (
    select
        driver_id,
        date_file,
        case
            when y between 1900 and 2999 and m between 1 and 12 and d between 1 and 31 then
                case
                    when extract(month from make_date(y, m, 1) + (d - 1)) = m then make_date(y, m, 1) + (d - 1)
                end
        end as trip_date,
        greatest(coalesce(count_orders_completed, 0), 0) as trips,
        coalesce(sum_work_time_seconds > 0, false) as connected,
        created_at
    from date_parts
)

select driver_id, date_file, trip_date, trips, connected, created_at
from parsed;
