-- Rows of the cobranza MV per scout_quality_bucket (MISSING included).
-- Grain: one row per bucket present in the MV.
select scout_quality_bucket as bucket, count(*) as rows
from ops.mv_yango_cabinet_cobranza_enriched_14d
group by scout_quality_bucket
order by scout_quality_bucket
