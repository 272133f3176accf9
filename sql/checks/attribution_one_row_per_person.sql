-- Grain of ops.v_scout_attribution: one row per person_key.
-- Grain: one row: persons appearing more than once, and up to 10 examples.
-- Violation: persons with more than one canonical scout
-- When it fails: The canonical pick lost its distinct-on: check
--   sql/ops/v_scout_attribution.sql and definition_drift.
select
    count(*) as violations,
    (array_agg(person_key::text order by person_key))[1:10] as examples
from (
    select person_key from ops.v_scout_attribution group by person_key having count(*) > 1
) as d
