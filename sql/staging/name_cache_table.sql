-- ops.stg_normalized_names: ops.normalize_name of every driver name the park has had, computed
-- once per name. The rule is a pure function of the text, so a cached result never goes stale
-- (the cache is emptied when the function's file changes); ops.v_yango_payments reads it and
-- computes a name it does not hold yet itself, so the result never depends on the cache.
-- Grain: one row per distinct driver name (full_name or joined parts, as ops.v_driver_identity
--   names a driver).
-- Inputs: filled by the staging step from ops.v_driver_identity.
create schema if not exists ops;

create table if not exists ops.stg_normalized_names (
    driver_name     text primary key,
    name_normalized text
)
