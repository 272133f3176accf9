-- Representative filter values for the latency check: the busiest scout and the latest week.
-- Grain: one row.
select
    (select scout_id from ops.mv_yango_cabinet_cobranza_enriched_14d
     where scout_id is not null group by scout_id order by count(*) desc, scout_id limit 1) as scout_id,
    (select max(week_start) from ops.mv_yango_cabinet_cobranza_enriched_14d) as week_start
