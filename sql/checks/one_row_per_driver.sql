-- Grain of the cobranza MV: one row per driver_id, never a NULL driver_id.
-- Grain: one row: violations = duplicated driver_ids + rows with a NULL driver_id, and up to
--   10 duplicated driver_ids as examples.
-- Violation: duplicated driver_ids
-- When it fails: Grain broken: a view under the MV lost its distinct-on. Check the upstream
--   grain checks and recent SQL changes.
with per_driver as (
    select driver_id, count(*) as n
    from ops.mv_yango_cabinet_cobranza_enriched_14d
    group by driver_id
)

select
    count(*) filter (where driver_id is not null and n > 1)
        + coalesce(sum(n) filter (where driver_id is null), 0)::bigint as violations,
    count(*) filter (where driver_id is not null and n > 1) as duplicated_drivers,
    coalesce(sum(n) filter (where driver_id is null), 0)::bigint as null_driver_ids,
    (array_agg(driver_id order by driver_id) filter (where driver_id is not null and n > 1))[1:10] as examples
from per_driver
