-- Cheap change markers of the raw tables the change sensor watches: row count plus the newest
-- timestamp. An append, a delete or a reload changes the marker; an in-place update without a
-- newer timestamp does not (launch the job by hand then).
-- Grain: one row per watched table.
select 'observational.lead_ledger' as table_name, count(*)::text || '|' || coalesce(max(updated_at)::text, '') as marker
from observational.lead_ledger
union all
select 'observational.lead_events', count(*)::text || '|' || coalesce(max(created_at)::text, '')
from observational.lead_events
union all
select 'public.module_ct_migrations', count(*)::text || '|' || coalesce(max(created_at)::text, '')
from public.module_ct_migrations
union all
select 'public.module_ct_scouting_daily', count(*)::text || '|' || coalesce(max(created_at)::text, '')
from public.module_ct_scouting_daily
union all
select 'public.module_ct_scouts_list', count(*)::text || '|' || coalesce(max(scout_id)::text, '')
from public.module_ct_scouts_list
union all
select 'canon.identity_links', count(*)::text || '|' || coalesce(max(linked_at)::text, '')
from canon.identity_links
union all
select 'public.module_ct_cabinet_payments', count(*)::text || '|' || coalesce(max(created_at)::text, '')
from public.module_ct_cabinet_payments
