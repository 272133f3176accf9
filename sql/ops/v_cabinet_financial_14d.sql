-- ops.v_cabinet_financial_14d: what Yango owes and paid, per recruited driver.
-- Grain: one row per driver_id with a lead date.
-- Inputs: ops.v_lead_dates, ops.v_driver_identity, ops.v_trips_daily, ops.v_claims_14d,
--   ops.v_yango_payments, ops.v_milestone_amounts.
-- Rules: trips count inside [lead_date, lead_date + window); reached_mN = trips >= N;
--   expected_amount_mN = the milestone amount when reached, else 0. claim_mN_exists/paid
--   come from the claims view (never NULL). paid_amount_mN = the milestone amount when a paid
--   payment exists for the driver and milestone, reached or not: that is money received.
--   amount_due_yango = expected_total_yango - total_paid_yango, negative when Yango paid a
--   milestone the trips do not confirm. connected_date = first connected day on/after
--   lead_date. week_start = Monday of lead_date; iso_week = 'IYYY-IW'.
create or replace view ops.v_cabinet_financial_14d as

with lead_dates as (
    select driver_id, lead_date from ops.v_lead_dates
),

drivers as (
    select driver_id, driver_name from ops.v_driver_identity
),

amounts as (
    select
        max(amount_pen) filter (where milestone = 1) as m1,
        max(amount_pen) filter (where milestone = 5) as m5,
        max(amount_pen) filter (where milestone = 25) as m25,
        max(window_days) as window_days
    from ops.v_milestone_amounts
),

trips_after_lead as (
    select trips.driver_id, trips.trip_date, trips.trips, trips.connected, lead_dates.lead_date
    from ops.v_trips_daily as trips
    join lead_dates using (driver_id)
    where trips.trip_date >= lead_dates.lead_date
),

trip_totals as (
    select
        driver_id,
        sum(trips) filter (where trip_date < lead_date + amounts.window_days) as total_trips_14d,
        min(trip_date) filter (where connected) as connected_date
    from trips_after_lead
    cross join amounts
    group by driver_id
),

claim_flags as (
    select
        driver_id,
        bool_or(milestone = 1) as claim_m1_exists,
        bool_or(milestone = 1 and is_paid) as claim_m1_paid,
        bool_or(milestone = 5) as claim_m5_exists,
        bool_or(milestone = 5 and is_paid) as claim_m5_paid,
        bool_or(milestone = 25) as claim_m25_exists,
        bool_or(milestone = 25 and is_paid) as claim_m25_paid
    from ops.v_claims_14d
    group by driver_id
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
        lead_dates.driver_id,
        coalesce(drivers.driver_name, 'N/A') as driver_name,
        lead_dates.lead_date,
        coalesce(trip_totals.total_trips_14d, 0)::integer as total_trips_14d,
        trip_totals.connected_date,
        coalesce(claim_flags.claim_m1_exists, false) as claim_m1_exists,
        coalesce(claim_flags.claim_m1_paid, false) as claim_m1_paid,
        coalesce(claim_flags.claim_m5_exists, false) as claim_m5_exists,
        coalesce(claim_flags.claim_m5_paid, false) as claim_m5_paid,
        coalesce(claim_flags.claim_m25_exists, false) as claim_m25_exists,
        coalesce(claim_flags.claim_m25_paid, false) as claim_m25_paid,
        coalesce(paid_flags.paid_m1, false) as paid_m1,
        coalesce(paid_flags.paid_m5, false) as paid_m5,
        coalesce(paid_flags.paid_m25, false) as paid_m25
    from lead_dates
    left join drivers using (driver_id)
    left join trip_totals using (driver_id)
    left join claim_flags using (driver_id)
    left join paid_flags using (driver_id)
),

milestone_money as (
    select
        joined.*,
        joined.total_trips_14d >= 1 as reached_m1_14d,
        joined.total_trips_14d >= 5 as reached_m5_14d,
        joined.total_trips_14d >= 25 as reached_m25_14d,
        case when joined.total_trips_14d >= 1 then amounts.m1 else 0 end::numeric(12, 2) as expected_amount_m1,
        case when joined.total_trips_14d >= 5 then amounts.m5 else 0 end::numeric(12, 2) as expected_amount_m5,
        case when joined.total_trips_14d >= 25 then amounts.m25 else 0 end::numeric(12, 2) as expected_amount_m25,
        case when joined.paid_m1 then amounts.m1 else 0 end::numeric(12, 2) as paid_amount_m1,
        case when joined.paid_m5 then amounts.m5 else 0 end::numeric(12, 2) as paid_amount_m5,
        case when joined.paid_m25 then amounts.m25 else 0 end::numeric(12, 2) as paid_amount_m25
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
    claim_m1_exists,
    claim_m1_paid,
    claim_m5_exists,
    claim_m5_paid,
    claim_m25_exists,
    claim_m25_paid,
    paid_amount_m1,
    paid_amount_m5,
    paid_amount_m25,
    total_paid_yango,
    (expected_total_yango - total_paid_yango)::numeric(12, 2) as amount_due_yango
from totals;
