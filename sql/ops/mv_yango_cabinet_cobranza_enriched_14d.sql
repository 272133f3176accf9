-- ops.mv_yango_cabinet_cobranza_enriched_14d: what collections works from, per driver.
-- Grain: exactly one row per driver of ops.v_cabinet_financial_14d (unique index on driver_id).
-- Inputs: ops.v_cabinet_financial_14d, ops.v_driver_identity, ops.v_scout_attribution,
--   ops.v_scout_attribution_raw, ops.v_dim_scouts.
-- Rules: the 26 financial columns, then the scout: attribution through person_key; a driver
--   whose person_key is NULL takes the best evidence row carrying its driver_id (same order
--   as the canonical pick). scout_quality_bucket names the winning source, 'MISSING' when
--   there is none (never NULL); is_scout_resolved = scout_id is not null.
-- This file is the SELECT only: the MV machinery creates, refreshes and rebuilds it.
with financial as (
    select * from ops.v_cabinet_financial_14d
),

drivers as (
    select driver_id, person_key from ops.v_driver_identity
),

by_person as (
    select person_key, scout_id, source_table, attribution_date, priority
    from ops.v_scout_attribution
),

by_driver_without_person as (
    select distinct on (driver_id) driver_id, scout_id, source_table, attribution_date, priority
    from ops.v_scout_attribution_raw
    where driver_id is not null
    order by driver_id, priority, attribution_date desc nulls last, created_at desc nulls last,
        source_pk collate "C", scout_id
),

attributed as (
    select
        financial.*,
        drivers.person_key,
        coalesce(by_person.scout_id, by_driver.scout_id) as scout_id,
        coalesce(by_person.source_table, by_driver.source_table) as scout_source_table,
        coalesce(by_person.attribution_date, by_driver.attribution_date) as scout_attribution_date,
        coalesce(by_person.priority, by_driver.priority) as scout_priority
    from financial
    left join drivers using (driver_id)
    left join by_person on by_person.person_key = drivers.person_key
    left join by_driver_without_person as by_driver
        on drivers.person_key is null and by_driver.driver_id = financial.driver_id
),

with_scout as (
    select
        attributed.*,
        scouts.scout_name,
        scouts.scout_name_normalized,
        scouts.is_active as scout_is_active,
        case attributed.scout_source_table
            when 'observational.lead_ledger' then 'SATISFACTORY_LEDGER'
            when 'observational.lead_events' then 'EVENTS_ONLY'
            when 'public.module_ct_migrations' then 'MIGRATIONS_ONLY'
            when 'public.module_ct_scouting_daily' then 'SCOUTING_DAILY_ONLY'
            when 'public.module_ct_cabinet_payments' then 'CABINET_PAYMENTS_ONLY'
            else 'MISSING'
        end as scout_quality_bucket
    from attributed
    left join ops.v_dim_scouts as scouts using (scout_id)
)

select
    driver_id,
    driver_name,
    lead_date,
    iso_week,
    week_start,
    connected_flag,
    connected_date,
    total_trips_14d,
    reached_m1_14d,
    reached_m5_14d,
    reached_m25_14d,
    expected_amount_m1,
    expected_amount_m5,
    expected_amount_m25,
    expected_total_yango,
    claim_m1_exists,
    claim_m1_paid,
    claim_m5_exists,
    claim_m5_paid,
    claim_m25_exists,
    claim_m25_paid,
    paid_amount_m1,
    paid_amount_m5,
    paid_amount_m25,
    total_paid_yango,
    amount_due_yango,
    scout_id,
    scout_name,
    scout_name_normalized,
    scout_is_active,
    scout_quality_bucket,
    scout_id is not null as is_scout_resolved,
    scout_source_table,
    scout_attribution_date,
    scout_priority,
    person_key
from with_scout
