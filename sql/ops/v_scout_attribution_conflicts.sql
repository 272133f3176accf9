-- ops.v_scout_attribution_conflicts: persons whose evidence names more than one scout.
-- Grain: one row per person_key with at least two distinct scout_ids in the evidence.
-- Inputs: ops.v_scout_attribution_raw, ops.v_scout_attribution.
-- Rules: reported, not resolved here: the canonical pick stays the one of
--   ops.v_scout_attribution, shown next to every scout and source involved.
create or replace view ops.v_scout_attribution_conflicts as

with evidence as (
    select person_key, scout_id, source_table
    from ops.v_scout_attribution_raw
    where person_key is not null
),

per_person as (
    select
        person_key,
        count(distinct scout_id) as n_scouts,
        array_agg(distinct scout_id order by scout_id) as scout_ids,
        array_agg(distinct source_table order by source_table) as source_tables
    from evidence
    group by person_key
)

select per_person.person_key, per_person.n_scouts, per_person.scout_ids, per_person.source_tables,
    canonical.scout_id as canonical_scout_id
from per_person
join ops.v_scout_attribution as canonical using (person_key)
where per_person.n_scouts > 1;
