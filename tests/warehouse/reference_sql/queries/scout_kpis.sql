-- The dashboard's scout attribution KPIs: how many drivers have a scout, by bucket and source,
-- and why the others have none.
-- Grain: one row (also on an empty selection: all counts 0).
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d.
-- Rules: the table's filters (queries/dashboard_filters.sql, exclusive milestone bands). A driver has a scout when scout_id is not null. Buckets are the MV's
--   scout_quality_bucket (never NULL; 'MISSING' when no scout). Sources are the MV's
--   scout_source_table. A driver without scout is missing_identity when it has no person_key,
--   else no_source_match (a person without scout evidence). pct_with_scout is rounded to 2
--   decimals, 0 on an empty selection.
with filtered as (
    {dashboard_filters}
),

counts as (
    select
        count(*) as total_drivers,
        count(*) filter (where scout_id is not null) as drivers_with_scout,
        count(*) filter (where scout_id is null) as drivers_without_scout,
        count(*) filter (where scout_quality_bucket = 'SATISFACTORY_LEDGER') as bucket_satisfactory_ledger,
        count(*) filter (where scout_quality_bucket = 'EVENTS_ONLY') as bucket_events_only,
        count(*) filter (where scout_quality_bucket = 'MIGRATIONS_ONLY') as bucket_migrations_only,
        count(*) filter (where scout_quality_bucket = 'SCOUTING_DAILY_ONLY') as bucket_scouting_daily_only,
        count(*) filter (where scout_quality_bucket = 'CABINET_PAYMENTS_ONLY') as bucket_cabinet_payments_only,
        count(*) filter (where scout_quality_bucket = 'MISSING') as bucket_missing,
        count(*) filter (where scout_source_table = 'observational.lead_ledger') as source_lead_ledger,
        count(*) filter (where scout_source_table = 'observational.lead_events') as source_lead_events,
        count(*) filter (where scout_source_table = 'public.module_ct_migrations') as source_migrations,
        count(*) filter (where scout_source_table = 'public.module_ct_scouting_daily') as source_scouting_daily,
        count(*) filter (where scout_source_table = 'public.module_ct_cabinet_payments') as source_cabinet_payments,
        count(*) filter (where scout_id is null and person_key is null) as missing_identity,
        count(*) filter (where scout_id is null and person_key is not null) as no_source_match
    from filtered
)

select
    counts.*,
    coalesce(round(100.0 * drivers_with_scout / nullif(total_drivers, 0), 2), 0) as pct_with_scout
from counts
