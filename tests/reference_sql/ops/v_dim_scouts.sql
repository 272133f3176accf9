-- ops.v_dim_scouts: the scout dimension.
-- Grain: one row per scout_id, from the scouts list and from any evidence naming a scout.
-- Inputs: public.module_ct_scouts_list, ops.v_scout_attribution_raw, ops.normalize_name.
-- Rules: scout_name = raw_name, else name, else 'Scout <id>'; a scout known only from the
--   evidence is named 'Scout <id>' too; is_active defaults to true. A scout_id listed twice
--   keeps the row with a name (raw_name first), then the active one.
create or replace view ops.v_dim_scouts as

with scouts_list as (
    select scout_id, nullif(trim(raw_name), '') as raw_name, nullif(trim(name), '') as name, is_active
    from public.module_ct_scouts_list
    where scout_id is not null
),

listed as (
    select distinct on (scout_id) *
    from scouts_list
    order by scout_id, raw_name is null, name is null, is_active desc nulls last, raw_name, name
),

evidence_only as (
    select distinct scout_id
    from ops.v_scout_attribution_raw
    where scout_id not in (select scout_id from listed)
),

all_scouts as (
    select scout_id, raw_name, name, is_active from listed
    union all
    select scout_id, null, null, null from evidence_only
),

named as (
    select scout_id, coalesce(raw_name, name, 'Scout ' || scout_id) as scout_name, coalesce(is_active, true) as is_active
    from all_scouts
)

select scout_id, scout_name, ops.normalize_name(scout_name) as scout_name_normalized, is_active
from named;
