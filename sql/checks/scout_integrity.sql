-- Scout columns agree with each other: scout_id not null = is_scout_resolved = bucket not
-- MISSING, and the bucket is never NULL.
-- Grain: one row: the count of rows breaking it and up to 10 examples.
-- Violation: rows where scout_id, is_scout_resolved and the bucket disagree
-- When it fails: The MV's scout columns are inconsistent: compare the MV SQL with sql/
--   (definition_drift) and rebuild.
select
    count(*) as violations,
    (array_agg(driver_id order by driver_id))[1:10] as examples
from ops.mv_yango_cabinet_cobranza_enriched_14d
where scout_quality_bucket is null
   or is_scout_resolved is distinct from (scout_id is not null)
   or (scout_quality_bucket = 'MISSING') is distinct from (scout_id is null)
