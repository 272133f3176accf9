-- Leads and scout registrations dated after today (the business date), though inside the
-- business range that ops.business_date accepts: a lead cannot come from the future, so the
-- date is a typing or clock error that would put the driver in a week still to come.
-- Grain: one row: the count and up to 10 examples 'table id: date'.
-- Inputs: public.module_ct_cabinet_leads, public.module_ct_scouting_daily (the two sources of
--   ops.v_lead_dates), the session's current_date in the business time zone.
-- Violation: leads dated after today
-- When it fails: Correct the date at the source (the examples name the table and row); until
--   then the driver's lead date, week and 14-day window follow the wrong date.
with lead_dates as (
    select 'module_ct_cabinet_leads ' || id as row_name, ops.business_date(lead_created_at::date) as value
    from public.module_ct_cabinet_leads
    union all
    select 'module_ct_scouting_daily ' || id, ops.business_date(registration_date)
    from public.module_ct_scouting_daily
)

select
    count(*) as violations,
    (array_agg(row_name || ': ' || value order by value desc, row_name))[1:10] as examples
from lead_dates
where value > current_date
