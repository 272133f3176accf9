-- The page's scout choices: every scout of the MV with its name and number of drivers.
-- Grain: one row per scout_id (drivers without scout left out).
-- Inputs: ops.cobranza_dashboard_summary (the MV's groups, summed once per refresh).
-- Rules: no filter; the name is the MV's scout_name (one per scout_id; min() only picks it);
--   drivers sums the scout's groups. Ordered by name, then scout_id.
select
    scout_id,
    min(scout_name) as scout_name,
    sum(drivers)::bigint as drivers
from ops.cobranza_dashboard_summary
where scout_id is not null
group by scout_id
order by min(scout_name), scout_id
