-- ops.v_lead_dates: when each recruited (cabinet) driver became a lead.
-- Grain: one row per driver_id that has a cabinet lead.
-- Inputs: public.module_ct_cabinet_leads, public.module_ct_scouting_daily,
--   canon.identity_links, ops.v_driver_identity, ops.business_date.
-- Rules: lead key = coalesce(external_id, id::text), lead date = lead_created_at::date; scout
--   registrations count as leads on registration_date. Leads reach a person through identity
--   links; a driver's lead_date is the earliest lead date of its person. A driver without a
--   person_key has no lead date. A date outside the business range (ops.business_date) is no
--   lead date: such a lead is set aside and counted by the out_of_range_dates check.
create or replace view ops.v_lead_dates as

with cabinet_leads as (
    select coalesce(external_id, id::text) as lead_key, ops.business_date(lead_created_at::date) as lead_date
    from public.module_ct_cabinet_leads
    where ops.business_date(lead_created_at::date) is not null
),

scout_registrations as (
    select id::text as registration_key, ops.business_date(registration_date) as lead_date
    from public.module_ct_scouting_daily
    where ops.business_date(registration_date) is not null
),

-- One CTE per source's links (not one CTE of every link read twice, which PostgreSQL would
-- materialize whole): each join reads only its source's links.
lead_links as (
    select source_pk as lead_key, person_key
    from canon.identity_links
    where source_table = 'module_ct_cabinet_leads' and person_key is not null
),

registration_links as (
    select source_pk as registration_key, person_key
    from canon.identity_links
    where source_table = 'module_ct_scouting_daily' and person_key is not null
),

person_leads as (
    select links.person_key, leads.lead_date
    from cabinet_leads as leads
    join lead_links as links using (lead_key)
    union all
    select links.person_key, registrations.lead_date
    from scout_registrations as registrations
    join registration_links as links using (registration_key)
),

first_lead_per_person as (
    select person_key, min(lead_date) as lead_date
    from person_leads
    group by person_key
)

select drivers.driver_id, first_lead.lead_date
from ops.v_driver_identity as drivers
join first_lead_per_person as first_lead using (person_key);
