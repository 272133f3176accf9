-- ops.v_cabinet_financial_14d: what Yango owes and paid, per recruited driver.
-- Grain: one row per driver_id with a lead date.
-- Inputs: ops.stg_driver_trips_14d, ops.v_driver_identity, ops.v_yango_payments,
--   ops.v_milestone_amounts.
-- Rules: trips count inside [lead_date, lead_date + window); reached_mN = trips >= N;
--   expected_amount_mN = the milestone amount when reached, else 0. A claim exists exactly
--   when the milestone was reached in the window (the rule of ops.v_claims_14d), and it is paid
--   when a paid payment exists for the driver and milestone; both flags are never NULL.
--   paid_amount_mN = the milestone amount when a paid payment exists for the driver and
--   milestone, reached or not: that is money received. amount_due_yango =
--   expected_total_yango - total_paid_yango, negative when Yango paid a milestone the trips do
--   not confirm. connected_date = first connected day on/after lead_date. week_start = Monday
--   of lead_date; iso_week = 'IYYY-IW'.
-- Reads the per-driver trip summary and the payments once each (not through the claims view,
-- which would expand them a second time inside the MV's query).
create or replace view ops.v_cabinet_financial_14d as

with driver_trips as (
    select driver_id, lead_date, total_trips_14d, connected_date from ops.stg_driver_trips_14d
),

drivers as (
    select driver_id, driver_name from ops.v_driver_identity
),

amounts as (
    select
        max(amount_pen) filter (where milestone = 1) as m1,
        max(amount_pen) filter (where milestone = 5) as m5,
        max(amount_pen) filter (where milestone = 25) as m25
    from ops.v_milestone_amounts
),

paid_flags as (
    select
        driver_id,
        bool_or(milestone = 1) as paid_m1,
        bool_or(milestone = 5) as paid_m5,
        bool_or(milestone = 25) as paid_m25
    from ops.v_yango_payments
    where is_paid and driver_id is not null
    group by driver_id
),

joined as (
    select
        driver_trips.driver_id,
        coalesce(drivers.driver_name, 'N/A') as driver_name,
        driver_trips.lead_date,
        driver_trips.total_trips_14d,
        driver_trips.connected_date,
        driver_trips.total_trips_14d >= 1 as reached_m1_14d,
        driver_trips.total_trips_14d >= 5 as reached_m5_14d,
        driver_trips.total_trips_14d >= 25 as reached_m25_14d,
        coalesce(paid_flags.paid_m1, false) as paid_m1,
        coalesce(paid_flags.paid_m5, false) as paid_m5,
        coalesce(paid_flags.paid_m25, false) as paid_m25
    from driver_trips
    left join drivers using (driver_id)
    left join paid_flags using (driver_id)
),

milestone_money as (
    select
        joined.*,
        case when reached_m1_14d then amounts.m1 else 0 end::numeric(12, 2) as expected_amount_m1,
        case when reached_m5_14d then amounts.m5 else 0 end::numeric(12, 2) as expected_amount_m5,
        case when reached_m25_14d then amounts.m25 else 0 end::numeric(12, 2) as expected_amount_m25,
        case when paid_m1 then amounts.m1 else 0 end::numeric(12, 2) as paid_amount_m1,
        case when paid_m5 then amounts.m5 else 0 end::numeric(12, 2) as paid_amount_m5,
        case when paid_m25 then amounts.m25 else 0 end::numeric(12, 2) as paid_amount_m25
    from joined
    cross join amounts
),

totals as (
    select
        milestone_money.*,
        (expected_amount_m1 + expected_amount_m5 + expected_amount_m25)::numeric(12, 2) as expected_total_yango,
        (paid_amount_m1 + paid_amount_m5 + paid_amount_m25)::numeric(12, 2) as total_paid_yango
    from milestone_money
)

select
    driver_id,
    driver_name,
    lead_date,
    to_char(lead_date, 'IYYY-IW') as iso_week,
    date_trunc('week', lead_date)::date as week_start,
    connected_date is not null as connected_flag,
    connected_date,
    total_trips_14d,
    reached_m1_14d,
    reached_m5_14d,
    reached_m25_14d,
    expected_amount_m1,
    expected_amount_m5,
    expected_amount_m25,
    expected_total_yango,
    reached_m1_14d as claim_m1_exists,
    reached_m1_14d and paid_m1 as claim_m1_paid,
    reached_m5_14d as claim_m5_exists,
    reached_m5_14d and paid_m5 as claim_m5_paid,
    reached_m25_14d as claim_m25_exists,
    reached_m25_14d and paid_m25 as claim_m25_paid,
    paid_amount_m1,
    paid_amount_m5,
    paid_amount_m25,
    total_paid_yango,
    (expected_total_yango - total_paid_yango)::numeric(12, 2) as amount_due_yango
from totals;
