-- Adds to ops.stg_normalized_names the driver names it does not hold yet (new drivers, renamed
-- ones): the only names normalized in a run.
-- Grain: inserts one row per new distinct name; returns nothing.
-- Inputs: ops.v_driver_identity, ops.normalize_name.
insert into ops.stg_normalized_names (driver_name, name_normalized)
select distinct drivers.driver_name, ops.normalize_name(drivers.driver_name)
from ops.v_driver_identity as drivers
where drivers.driver_name <> 'N/A'
  and not exists (select from ops.stg_normalized_names as cached where cached.driver_name = drivers.driver_name)
on conflict (driver_name) do nothing
