-- The sample's one-shot recomputation (stage_sample.sql) against the staged rows of the same
-- drivers: every column of the per-driver figures, and every staged day.
-- Grain: one row: the sampled drivers that differ, the sample size, and up to 10 examples.
with sampled_staged as (
    select staged.*
    from ops.stg_driver_trips_14d as staged
    where staged.driver_id in (select driver_id from stage_recruited)
),

figures_differ as (
    select coalesce(recomputed.driver_id, staged.driver_id) as driver_id
    from check_summary as recomputed
    full join sampled_staged as staged using (driver_id)
    where (staged.lead_date, staged.total_trips_14d, staged.connected_date, staged.m1_achieved_date,
           staged.m5_achieved_date, staged.m25_achieved_date)
        is distinct from (recomputed.lead_date, recomputed.total_trips_14d, recomputed.connected_date,
                          recomputed.m1_achieved_date, recomputed.m5_achieved_date, recomputed.m25_achieved_date)
),

days_differ as (
    select driver_id from (
        (select driver_id, trip_date, trips, connected, created_at from check_days
         except all
         select driver_id, trip_date, trips, connected, created_at from ops.stg_trip_days
         where driver_id in (select driver_id from stage_recruited))
        union all
        (select driver_id, trip_date, trips, connected, created_at from ops.stg_trip_days
         where driver_id in (select driver_id from stage_recruited)
         except all
         select driver_id, trip_date, trips, connected, created_at from check_days)
    ) as d
),

differing as (
    select driver_id from figures_differ
    union
    select driver_id from days_differ
)

select
    count(*) as violations,
    (select count(*) from stage_recruited) as sample_size,
    (array_agg(driver_id order by driver_id))[1:10] as examples
from differing
