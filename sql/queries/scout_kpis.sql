-- The dashboard's scout attribution KPIs: how many drivers have a scout, by bucket and source,
-- and why the others have none.
-- Grain: one row (also on an empty selection: all counts 0).
-- Inputs: ops.cobranza_dashboard_totals, or ops.cobranza_dashboard_summary for a scout
--   filter (the MV's groups, summed once per refresh).
-- Rules: the table's filters (queries/summary_filters.sql, exclusive milestone bands). A
--   driver has a scout when scout_id is not null (has_scout). Buckets are the MV's
--   scout_quality_bucket (never NULL; 'MISSING' when no scout). Sources are the MV's
--   scout_source_table. A driver without scout is missing_identity when it has no person_key,
--   else no_source_match (a person without scout evidence). pct_with_scout is rounded to 2
--   decimals, 0 on an empty selection.
with filtered as (
    {summary_filters}
),

counts as (
    select
        coalesce(sum(drivers), 0)::bigint as total_drivers,
        coalesce(sum(drivers) filter (where has_scout), 0)::bigint as drivers_with_scout,
        coalesce(sum(drivers) filter (where not has_scout), 0)::bigint as drivers_without_scout,
        coalesce(sum(drivers) filter (where scout_quality_bucket = 'SATISFACTORY_LEDGER'), 0)::bigint as bucket_satisfactory_ledger,
        coalesce(sum(drivers) filter (where scout_quality_bucket = 'EVENTS_ONLY'), 0)::bigint as bucket_events_only,
        coalesce(sum(drivers) filter (where scout_quality_bucket = 'MIGRATIONS_ONLY'), 0)::bigint as bucket_migrations_only,
        coalesce(sum(drivers) filter (where scout_quality_bucket = 'SCOUTING_DAILY_ONLY'), 0)::bigint as bucket_scouting_daily_only,
        coalesce(sum(drivers) filter (where scout_quality_bucket = 'CABINET_PAYMENTS_ONLY'), 0)::bigint as bucket_cabinet_payments_only,
        coalesce(sum(drivers) filter (where scout_quality_bucket = 'MISSING'), 0)::bigint as bucket_missing,
        coalesce(sum(drivers) filter (where scout_source_table = 'observational.lead_ledger'), 0)::bigint as source_lead_ledger,
        coalesce(sum(drivers) filter (where scout_source_table = 'observational.lead_events'), 0)::bigint as source_lead_events,
        coalesce(sum(drivers) filter (where scout_source_table = 'public.module_ct_migrations'), 0)::bigint as source_migrations,
        coalesce(sum(drivers) filter (where scout_source_table = 'public.module_ct_scouting_daily'), 0)::bigint as source_scouting_daily,
        coalesce(sum(drivers) filter (where scout_source_table = 'public.module_ct_cabinet_payments'), 0)::bigint as source_cabinet_payments,
        coalesce(sum(drivers) filter (where not has_scout and not has_person_key), 0)::bigint as missing_identity,
        coalesce(sum(drivers) filter (where not has_scout and has_person_key), 0)::bigint as no_source_match
    from filtered
)

select
    counts.*,
    coalesce(round(100.0 * drivers_with_scout / nullif(total_drivers, 0), 2), 0) as pct_with_scout
from counts
