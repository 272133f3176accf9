-- ops.v_scout_attribution_raw: every piece of evidence of which scout recruited a person.
-- Grain: one row per evidence row that names a scout; (source_table, source_pk) names it while
--   the source's ids are unique (a repeated payment id gives two rows: the picks then break the
--   tie by scout_id).
-- Inputs: observational.lead_ledger, observational.lead_events, public.module_ct_migrations,
--   public.module_ct_scouting_daily, public.module_ct_cabinet_payments, canon.identity_links,
--   ops.business_date.
-- Rules: priority 1 is the best evidence: 1 lead_ledger.attributed_scout_id, 2 lead_events
--   (scout_id, else a numeric payload_json->>'scout_id'), 3 migrations, 4 scouting_daily,
--   5 cabinet_payments. person_key comes through identity links: the event's own person_key
--   or its (source_table, source_pk) link; the migration's or registration's link; for rows
--   carrying a driver_id, the driver's 'drivers' link as fallback. person_key may be NULL;
--   driver_id is kept where the source has one. attribution_date outside the business range
--   is NULL (ops.business_date).
create or replace view ops.v_scout_attribution_raw as

-- The identity links each source needs, one row per linked key (latest linked_at), each its
-- own CTE: a query that does not read person_key (the scout dimension, the MV's fallback by
-- driver_id) drops these joins, and each sort holds only the links of one source.
with driver_links as not materialized (
    select distinct on (source_pk) source_pk as driver_id, person_key
    from canon.identity_links
    where source_table = 'drivers' and person_key is not null
    order by source_pk, linked_at desc nulls last
),

migration_links as (
    select distinct on (source_pk) source_pk as migration_id, person_key
    from canon.identity_links
    where source_table = 'module_ct_migrations' and person_key is not null
    order by source_pk, linked_at desc nulls last
),

registration_links as (
    select distinct on (source_pk) source_pk as registration_id, person_key
    from canon.identity_links
    where source_table = 'module_ct_scouting_daily' and person_key is not null
    order by source_pk, linked_at desc nulls last
),

-- Events point at a row of any source table: only the links of those rows are read.
event_links as (
    select distinct on (links.source_table, links.source_pk) links.source_table, links.source_pk, links.person_key
    from canon.identity_links as links
    where links.person_key is not null
      and exists (
          select from observational.lead_events as e
          where e.source_table = links.source_table and e.source_pk = links.source_pk
      )
    order by links.source_table, links.source_pk, links.linked_at desc nulls last
),

ledger as (
    select person_key, null::text as driver_id, attributed_scout_id as scout_id,
        'observational.lead_ledger' as source_table, person_key::text as source_pk,
        ops.business_date(updated_at::date) as attribution_date, updated_at as created_at, 1 as priority
    from observational.lead_ledger
    where attributed_scout_id is not null and person_key is not null
),

events as (
    select coalesce(e.person_key, links.person_key) as person_key, null::text as driver_id,
        coalesce(
            e.scout_id,
            -- The digits only: a unicode space around them (which trim keeps) must not break the cast.
            substring(e.payload_json ->> 'scout_id' from '^\s*([0-9]{1,9})\s*$')::integer
        ) as scout_id,
        'observational.lead_events' as source_table,
        concat_ws(':', e.source_table, e.source_pk, e.event_date, e.created_at) as source_pk,
        ops.business_date(e.event_date) as attribution_date, e.created_at, 2 as priority
    from observational.lead_events as e
    left join event_links as links
        on links.source_table = e.source_table and links.source_pk = e.source_pk
),

migrations as (
    select coalesce(links.person_key, driver_links.person_key) as person_key, m.driver_id, m.scout_id,
        'public.module_ct_migrations' as source_table, m.id::text as source_pk,
        ops.business_date(m.hire_date) as attribution_date, m.created_at::timestamptz as created_at, 3 as priority
    from public.module_ct_migrations as m
    left join migration_links as links on links.migration_id = m.id::text
    left join driver_links on driver_links.driver_id = m.driver_id
    where m.scout_id is not null
),

registrations as (
    select links.person_key, null::text as driver_id, s.scout_id,
        'public.module_ct_scouting_daily' as source_table, s.id::text as source_pk,
        ops.business_date(s.registration_date) as attribution_date, s.created_at::timestamptz as created_at, 4 as priority
    from public.module_ct_scouting_daily as s
    left join registration_links as links on links.registration_id = s.id::text
    where s.scout_id is not null
),

payments as (
    select driver_links.person_key, p.driver_id, p.scout_id,
        'public.module_ct_cabinet_payments' as source_table, p.id::text as source_pk,
        ops.business_date(p.date) as attribution_date, p.created_at::timestamptz as created_at, 5 as priority
    from public.module_ct_cabinet_payments as p
    left join driver_links on driver_links.driver_id = p.driver_id
    where p.scout_id is not null
),

evidence as (
    select * from ledger
    union all
    select * from events where scout_id is not null
    union all
    select * from migrations
    union all
    select * from registrations
    union all
    select * from payments
)

select person_key, driver_id, scout_id, source_table, source_pk, attribution_date, created_at, priority
from evidence;
