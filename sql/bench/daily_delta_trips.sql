-- Benchmark only: a realistic day of new trips. About %(share_pct)s %% of drivers report one
-- more day (the day after their latest reported day), picked deterministically by a hash salt.
-- Grain: inserts one public.summary_daily row per picked driver.
with drivers as (
    select distinct driver_id from public.drivers where driver_id is not null
),

picked as (
    select driver_id
    from drivers
    where abs(hashtext(driver_id || %(salt)s)) %% 10000 < %(share_pct)s * 100
),

last_day as (
    select picked.driver_id, max(parsed.trip_date) as trip_date
    from picked
    join ops.v_summary_daily_parsed as parsed using (driver_id)
    group by picked.driver_id
)

insert into public.summary_daily (driver_id, date_file, count_orders_completed, sum_work_time_seconds, created_at)
select
    driver_id,
    to_char(coalesce(trip_date, current_date) + 1, 'DD-MM-YYYY'),
    1 + abs(hashtext(driver_id || %(salt)s || 'n')) %% 12,
    3600,
    clock_timestamp()
from last_day
