-- ops.v_scout_attribution: the scout credited with each person.
-- Grain: one row per person_key (enforced with distinct on).
-- Inputs: ops.v_scout_attribution_raw.
-- Rules: the best evidence wins: lowest priority, then the latest attribution_date, then the
--   latest created_at, then the smallest source_pk (as text), then the smallest scout_id: two
--   lead_events rows may share every other field, and the pick must not depend on row order.
create or replace view ops.v_scout_attribution as

with evidence as (
    select person_key, driver_id, scout_id, source_table, source_pk, attribution_date, created_at, priority
    from ops.v_scout_attribution_raw
    where person_key is not null
),

canonical as (
    select distinct on (person_key) *
    from evidence
    order by person_key, priority, attribution_date desc nulls last, created_at desc nulls last,
        source_pk collate "C", scout_id
)

select person_key, scout_id, source_table, source_pk, attribution_date, created_at, priority
from canonical;
