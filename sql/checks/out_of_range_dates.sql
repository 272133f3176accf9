-- Raw rows whose business date falls outside [2000-01-01, 2100-01-01) ('infinity' included),
-- which the ops views treat as missing (ops.business_date): a lead or registration without a
-- lead date, evidence or a payment without its date.
-- Grain: one row: the count and up to 10 examples 'table id: date'.
-- Inputs: public.module_ct_cabinet_leads, public.module_ct_scouting_daily,
--   public.module_ct_migrations, public.module_ct_cabinet_payments, observational.lead_events,
--   observational.lead_ledger (the small raw tables; summary_daily's dates are parsed under the
--   same range and counted by unparseable_dates).
-- Violation: raw rows with a date outside the business range
-- When it fails: These dates are treated as missing (a lead dated like this gives no lead
--   date): correct them at the source; the examples name the table and row.
with dated as (
    select 'module_ct_cabinet_leads ' || id as row_name, lead_created_at::date as value
    from public.module_ct_cabinet_leads where lead_created_at is not null
    union all
    select 'module_ct_scouting_daily ' || id, registration_date
    from public.module_ct_scouting_daily where registration_date is not null
    union all
    select 'module_ct_migrations ' || id, hire_date from public.module_ct_migrations where hire_date is not null
    union all
    select 'module_ct_cabinet_payments ' || id, date from public.module_ct_cabinet_payments where date is not null
    union all
    select 'lead_events ' || source_table || ':' || source_pk, event_date
    from observational.lead_events where event_date is not null
    union all
    select 'lead_ledger ' || person_key, updated_at::date from observational.lead_ledger where updated_at is not null
)

select
    count(*) as violations,
    (array_agg(coalesce(row_name, '?') || ': ' || value order by row_name))[1:10] as examples
from dated
where ops.business_date(value) is null
