-- Money adds up on every row (NUMERIC, exact): expected_total = sum of expected amounts,
-- total_paid = sum of paid amounts, amount_due = expected_total - total_paid, and each expected
-- amount is the milestone amount when reached, else 0.
-- Grain: one row: the count of rows breaking it and up to 10 examples.
-- Inputs: the MV and ops.v_milestone_amounts (the one place amounts live).
-- Violation: rows whose amounts do not add up
-- When it fails: Money does not add up: compare ops.v_milestone_amounts with the MV and
--   rebuild the MV.
with amounts as (
    select
        max(amount_pen) filter (where milestone = 1) as m1,
        max(amount_pen) filter (where milestone = 5) as m5,
        max(amount_pen) filter (where milestone = 25) as m25
    from ops.v_milestone_amounts
)

select
    count(*) as violations,
    (array_agg(driver_id order by driver_id))[1:10] as examples
from ops.mv_yango_cabinet_cobranza_enriched_14d as mv
cross join amounts
where expected_total_yango is distinct from expected_amount_m1 + expected_amount_m5 + expected_amount_m25
   or total_paid_yango is distinct from paid_amount_m1 + paid_amount_m5 + paid_amount_m25
   or amount_due_yango is distinct from expected_total_yango - total_paid_yango
   or expected_amount_m1 is distinct from case when reached_m1_14d then amounts.m1 else 0 end
   or expected_amount_m5 is distinct from case when reached_m5_14d then amounts.m5 else 0 end
   or expected_amount_m25 is distinct from case when reached_m25_14d then amounts.m25 else 0 end
