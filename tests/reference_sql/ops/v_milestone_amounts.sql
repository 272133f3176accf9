-- ops.v_milestone_amounts: what Yango pays per milestone, the one place these numbers live.
-- Grain: one row per milestone (1, 5, 25 trips).
-- Inputs: none (constants agreed with Yango).
-- Rules: amounts in PEN: M1 25.00, M5 35.00, M25 100.00 (cumulative 25, 60, 160); the trips
--   must be completed inside a window of 14 days starting on the lead date.
create or replace view ops.v_milestone_amounts as

with milestones (milestone, amount_pen, window_days) as (
    values
        (1, 25.00::numeric(12, 2), 14),
        (5, 35.00::numeric(12, 2), 14),
        (25, 100.00::numeric(12, 2), 14)
)

select
    milestone,
    amount_pen,
    sum(amount_pen) over (order by milestone)::numeric(12, 2) as cumulative_amount_pen,
    window_days
from milestones;
