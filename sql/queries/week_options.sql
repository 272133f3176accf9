-- The page's week choices: every week_start of the MV, most recent first.
-- Grain: one row per week_start (NULL left out).
-- Inputs: ops.cobranza_dashboard_totals (its groups carry every week_start of the MV).
-- Rules: no filter: the choices do not change with the filters they set.
select distinct week_start
from ops.cobranza_dashboard_totals
where week_start is not null
order by week_start desc
