-- Drivers Yango paid for a milestone the trip data does not confirm (amount_due < 0 follows).
-- Grain: one row: the count of drivers, the money involved and up to 10 examples.
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d (the 26 columns of
--   ops.v_cabinet_financial_14d as last materialized: reading the MV spares this check a second
--   pass over every trip and payment, and it runs after the MV's refresh).
-- Rules: a paid_amount_mN > 0 for a milestone not reached in the window.
-- Violation: drivers paid for a milestone the trips do not confirm
-- When it fails: Yango paid more than the trip data supports (negative amount_due): raise
--   the examples with Yango or check summary_daily loads.
select
    count(*) as violations,
    coalesce(sum(
        case when paid_amount_m1 > 0 and not reached_m1_14d then paid_amount_m1 else 0 end
        + case when paid_amount_m5 > 0 and not reached_m5_14d then paid_amount_m5 else 0 end
        + case when paid_amount_m25 > 0 and not reached_m25_14d then paid_amount_m25 else 0 end
    ), 0) as unconfirmed_paid_pen,
    (array_agg(driver_id order by driver_id))[1:10] as examples
from ops.mv_yango_cabinet_cobranza_enriched_14d
where (paid_amount_m1 > 0 and not reached_m1_14d)
   or (paid_amount_m5 > 0 and not reached_m5_14d)
   or (paid_amount_m25 > 0 and not reached_m25_14d)
