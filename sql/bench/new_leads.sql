-- Benchmark only: the day's new cabinet leads, %(leads)s new drivers recruited on %(day)s
-- (the driver, its 'drivers' link, the lead and the lead's link).
-- Grain: inserts %(leads)s rows into each of public.drivers and public.module_ct_cabinet_leads
--   (the statement's row count) and two identity links per lead.
with new_leads as (
    select
        'N' || to_char(%(day)s::date, 'YYYYMMDD') || lpad(n::text, 4, '0') as driver_id,
        md5('lead:' || %(day)s::date || ':' || n)::uuid as person_key,
        (select coalesce(max(id), 0) from public.module_ct_cabinet_leads) + n as lead_id
    from generate_series(1, %(leads)s) as n
),

drivers as (
    insert into public.drivers (driver_id, full_name, updated_at)
    select driver_id, 'Nuevo ' || driver_id, %(day)s::date from new_leads
),

links as (
    insert into canon.identity_links (person_key, source_table, source_pk, linked_at)
    select person_key, 'drivers', driver_id, %(day)s::date from new_leads
    union all
    select person_key, 'module_ct_cabinet_leads', 'NL' || lead_id, %(day)s::date from new_leads
)

insert into public.module_ct_cabinet_leads (id, external_id, lead_created_at, created_at)
select lead_id, 'NL' || lead_id, %(day)s::date + time '10:00', %(day)s::date + time '10:05' from new_leads
