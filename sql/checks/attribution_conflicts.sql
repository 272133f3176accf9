-- Persons whose scout evidence names more than one scout (reported, not resolved).
-- Grain: one row: the count and up to 10 examples 'person_key: scouts [...] -> canonical'.
-- Violation: persons whose evidence names more than one scout
-- When it fails: Review the examples with the scouting team; the canonical pick stands
--   until the evidence is corrected.
select
    count(*) as violations,
    (array_agg(person_key::text || ': scouts ' || scout_ids::text || ' -> ' || canonical_scout_id
        order by person_key))[1:10] as examples
from ops.v_scout_attribution_conflicts
