-- Scout coverage of the cobranza MV.
-- Grain: one row for the whole MV.
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d.
-- Rules: pct_with_scout is NULL on an empty MV (no rows is a failure, not 100 %); it is
--   truncated, not rounded, to 2 decimals, so a share just under a threshold never reads as
--   meeting it (89.995 -> 89.99; the check compares the exact counts). Rows without scout split
--   by reason: no person_key (identity missing) vs a person with no evidence.
select
    count(*) as total_rows,
    count(*) filter (where scout_id is not null) as with_scout,
    count(*) filter (where scout_id is null) as missing_scout,
    trunc(100.0 * count(*) filter (where scout_id is not null) / nullif(count(*), 0), 2) as pct_with_scout,
    count(*) filter (where scout_id is null and person_key is null) as missing_identity,
    count(*) filter (where scout_id is null and person_key is not null) as no_source_match
from ops.mv_yango_cabinet_cobranza_enriched_14d
