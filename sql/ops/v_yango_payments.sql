-- ops.v_yango_payments: Yango's payment report, one milestone per row, tied to a driver.
-- Grain: one row per (payment_id, milestone) where the report's trip_N flag is not NULL.
-- Inputs: public.module_ct_cabinet_payments, ops.v_driver_identity, ops.normalize_name,
--   ops.stg_normalized_names, ops.business_date.
-- Rules: a payment id reported twice counts once, its latest row (created_at, then date); rows
--   without an id are all kept. is_paid = trip_N; pay_date = the report's date (NULL when
--   outside the business range, ops.business_date). The driver is
--   the row's driver_id when it names a known driver ('driver_id_direct'); else the one known
--   driver whose normalized name equals the normalized `driver` text ('name_unique'; a driver
--   without any name, shown as 'N/A', is never a candidate); several such drivers give
--   'ambiguous' and none 'no_match', both with driver_id NULL.
create or replace view ops.v_yango_payments as

with report_rows as (
    select id as payment_id, ops.business_date(date) as pay_date, driver as driver_name_reported, driver_id as driver_id_reported,
        trip_1, trip_5, trip_25,
        row_number() over (partition by id order by created_at desc nulls last, date desc nulls last) as version
    from public.module_ct_cabinet_payments
),

payments as (
    select payment_id, pay_date, driver_name_reported, driver_id_reported, trip_1, trip_5, trip_25
    from report_rows
    where version = 1 or payment_id is null
),

known_drivers as (
    select driver_id, driver_name from ops.v_driver_identity
),

-- The driver is resolved once per payment row, before it is split into milestones: the name
-- rule (ops.normalize_name, the costly part) runs only for rows whose driver_id names no
-- known driver.
direct_match as (
    select
        payments.*,
        known_drivers.driver_id as direct_driver_id,
        case when known_drivers.driver_id is null then ops.normalize_name(payments.driver_name_reported) end
            as name_normalized
    from payments
    left join known_drivers on known_drivers.driver_id = payments.driver_id_reported
),

-- The names the unmatched payment rows ask for: only these are counted below.
wanted_names as (
    select distinct name_normalized from direct_match where name_normalized is not null
),

-- Every known driver's name normalized: the cached result (ops.stg_normalized_names: the
-- staging step normalizes each new name once), else computed here, so the result never depends
-- on the cache being current. Only the groups of wanted names are counted (a semi join, not a
-- WHERE on the normalized name, which the planner would evaluate the function again for).
name_candidates as (
    select named.name_normalized, count(*) as n_drivers, min(named.driver_id) as driver_id
    from (
        select known.driver_id, coalesce(cached.name_normalized, ops.normalize_name(known.driver_name))
            as name_normalized
        from known_drivers as known
        left join ops.stg_normalized_names as cached using (driver_name)
        where known.driver_name <> 'N/A'
    ) as named
    join wanted_names using (name_normalized)
    group by named.name_normalized
),

resolved as (
    select
        direct_match.*,
        coalesce(name_candidates.n_drivers, 0) as n_name_matches,
        name_candidates.driver_id as name_driver_id
    from direct_match
    left join name_candidates on name_candidates.name_normalized = direct_match.name_normalized
),

milestone_rows as (
    select resolved.*, flags.milestone, flags.is_paid
    from resolved
    cross join lateral (
        values (1, resolved.trip_1), (5, resolved.trip_5), (25, resolved.trip_25)
    ) as flags (milestone, is_paid)
    where flags.is_paid is not null
)

select
    payment_id,
    milestone,
    is_paid,
    pay_date,
    driver_id_reported,
    driver_name_reported,
    case
        when direct_driver_id is not null then direct_driver_id
        when n_name_matches = 1 then name_driver_id
    end as driver_id,
    case
        when direct_driver_id is not null then 'driver_id_direct'
        when n_name_matches = 1 then 'name_unique'
        when n_name_matches > 1 then 'ambiguous'
        else 'no_match'
    end as match_rule
from milestone_rows;
