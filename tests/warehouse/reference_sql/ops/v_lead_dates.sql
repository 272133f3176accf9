-- ops.v_lead_dates: when each recruited (cabinet) driver became a lead.
-- Grain: one row per driver_id that has a cabinet lead.
-- Inputs: public.module_ct_cabinet_leads, public.module_ct_scouting_daily,
--   canon.identity_links, ops.v_driver_identity.
-- Rules: lead key = coalesce(external_id, id::text), lead date = lead_created_at::date; scout
--   registrations count as leads on registration_date. Leads reach a person through identity
--   links; a driver's lead_date is the earliest lead date of its person. A driver without a
--   person_key has no lead date.
create or replace view ops.v_lead_dates as

with cabinet_leads as (
    select coalesce(external_id, id::text) as lead_key, lead_created_at::date as lead_date
    from public.module_ct_cabinet_leads
    where lead_created_at is not null
),

scout_registrations as (
    select id::text as registration_key, registration_date as lead_date
    from public.module_ct_scouting_daily
    where registration_date is not null
),

identity_links as (
    select source_table, source_pk, person_key
    from canon.identity_links
    where person_key is not null
),

person_leads as (
    select links.person_key, leads.lead_date
    from cabinet_leads as leads
    join identity_links as links
        on links.source_table = 'module_ct_cabinet_leads' and links.source_pk = leads.lead_key
    union all
    select links.person_key, registrations.lead_date
    from scout_registrations as registrations
    join identity_links as links
        on links.source_table = 'module_ct_scouting_daily' and links.source_pk = registrations.registration_key
),

first_lead_per_person as (
    select person_key, min(lead_date) as lead_date
    from person_leads
    group by person_key
)

select drivers.driver_id, first_lead.lead_date
from ops.v_driver_identity as drivers
join first_lead_per_person as first_lead using (person_key);
