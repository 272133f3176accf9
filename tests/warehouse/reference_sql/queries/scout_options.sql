-- The page's scout choices: every scout of the MV with its name and number of drivers.
-- Grain: one row per scout_id (drivers without scout left out).
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d.
-- Rules: no filter; the name is the MV's scout_name (one per scout_id; min() only picks it).
--   Ordered by name, then scout_id.
select
    scout_id,
    min(scout_name) as scout_name,
    count(*) as drivers
from ops.mv_yango_cabinet_cobranza_enriched_14d
where scout_id is not null
group by scout_id
order by min(scout_name), scout_id
