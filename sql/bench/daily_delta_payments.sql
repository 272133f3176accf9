-- Benchmark only: a day of Yango's payment report, dated %(day)s: about %(share_pct)s %% of the
-- drivers with an unpaid M1 claim get it paid.
-- Grain: inserts one public.module_ct_cabinet_payments row per picked driver.
with unpaid as (
    select driver_id, driver_name
    from ops.mv_yango_cabinet_cobranza_enriched_14d
    where claim_m1_exists and not claim_m1_paid
      and abs(hashtext(driver_id || %(salt)s)) %% 10000 < %(share_pct)s * 100
),

next_id as (
    select coalesce(max(id), 0) as id from public.module_ct_cabinet_payments
)

insert into public.module_ct_cabinet_payments (id, date, driver, driver_id, trip_1, created_at)
select next_id.id + row_number() over (order by unpaid.driver_id), %(day)s::date, unpaid.driver_name,
    unpaid.driver_id, true, clock_timestamp()
from unpaid
cross join next_id
