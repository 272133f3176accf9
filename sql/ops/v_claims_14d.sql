-- ops.v_claims_14d: the bonuses Yango owes, one per milestone a driver reached in time.
-- Grain: one row per (driver_id, milestone) reached inside [lead_date, lead_date + 14 days).
-- Inputs: ops.stg_driver_trips_14d, ops.v_milestone_amounts, ops.v_yango_payments.
-- Rules: a claim exists when the window's trip total (each day counted once) reaches the
--   milestone, and achieved_date = the first day the running total does (the two agree: the
--   running total only grows); due_date = lead_date + window; is_paid = a paid payment row
--   exists for the driver and milestone, paid_date its earliest date. Unpaid claims are
--   overdue by current_date - due_date days (never below 0); paid claims are not overdue.
--   Buckets: '0_not_due' (0), '1_1_7', '2_8_14', '3_15_30', '4_31_60', '5_60_plus'.
create or replace view ops.v_claims_14d as

with driver_trips as (
    select driver_id, lead_date, total_trips_14d, m1_achieved_date, m5_achieved_date, m25_achieved_date
    from ops.stg_driver_trips_14d
),

milestones as (
    select milestone, amount_pen, window_days from ops.v_milestone_amounts
),

-- Which claims exist depends on the trip total only, so a query that does not read
-- achieved_date (the grain check) skips the running totals.
achievements as (
    select
        driver_trips.driver_id,
        driver_trips.lead_date,
        milestones.milestone,
        milestones.amount_pen,
        milestones.window_days,
        case milestones.milestone
            when 1 then driver_trips.m1_achieved_date
            when 5 then driver_trips.m5_achieved_date
            when 25 then driver_trips.m25_achieved_date
        end as achieved_date
    from driver_trips
    join milestones on driver_trips.total_trips_14d >= milestones.milestone
),

paid_milestones as (
    select driver_id, milestone, min(pay_date) as paid_date
    from ops.v_yango_payments
    where is_paid and driver_id is not null
    group by driver_id, milestone
),

claims as (
    select
        achievements.driver_id,
        achievements.milestone,
        achievements.lead_date,
        achievements.amount_pen as expected_amount,
        achievements.achieved_date,
        achievements.lead_date + achievements.window_days as due_date,
        paid_milestones.driver_id is not null as is_paid,
        paid_milestones.paid_date
    from achievements
    left join paid_milestones using (driver_id, milestone)
),

overdue as (
    select *,
        case when is_paid then 0 else greatest(current_date - due_date, 0) end as days_overdue
    from claims
)

select
    driver_id,
    milestone,
    lead_date,
    expected_amount,
    achieved_date,
    due_date,
    is_paid,
    paid_date,
    days_overdue,
    case
        when days_overdue = 0 then '0_not_due'
        when days_overdue <= 7 then '1_1_7'
        when days_overdue <= 14 then '2_8_14'
        when days_overdue <= 30 then '3_15_30'
        when days_overdue <= 60 then '4_31_60'
        else '5_60_plus'
    end as overdue_bucket
from overdue;
