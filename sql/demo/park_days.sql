-- Demo and benchmark only: the park's daily trips for the %(days)s days ending on %(as_of)s
-- of the park's drivers (with %(everyone)s, of every driver: the benchmark's new day). Each driver works a day with probability
-- %(work_pct)s %% (a hash of driver, day and seed decides: same seed, same rows); a worked day
-- has 1-15 trips. Loaded the morning after, day by day, as production's daily files arrive, so
-- created_at follows the table's physical order (what the BRIN index on created_at relies on).
-- Grain: inserts one public.summary_daily row per driver and worked day.
insert into public.summary_daily (driver_id, date_file, count_orders_completed, sum_work_time_seconds, created_at)
select
    drivers.driver_id,
    to_char(day, 'DD-MM-YYYY'),
    1 + worked.hash %% 15,
    600 + worked.hash %% 30000,
    (day + interval '1 day 6 hours')::timestamp at time zone 'America/Lima'
from generate_series(%(as_of)s::date - %(days)s + 1, %(as_of)s::date, interval '1 day') as day
cross join (
    select distinct driver_id from public.drivers where driver_id like 'P%%' or %(everyone)s
) as drivers
cross join lateral (select abs(hashtext(drivers.driver_id || ':' || day::date || ':' || %(seed)s)) as hash) as worked
where worked.hash %% 100 < %(work_pct)s
