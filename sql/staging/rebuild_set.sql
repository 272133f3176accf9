-- The drivers whose staged days cannot be carried over: they became recruited or their lead
-- date moved (a new lead for an old driver, a changed identity link): stage_rebuild, to be
-- backfilled from raw; or they are no longer recruited: stage_leaving. Both lose their staged
-- days; the leaving ones their summary too.
-- Grain: one row per driver in each temporary table (dropped at commit); the deletes return
--   nothing. Every statement reads the recruited set and the per-driver summary (one row per
--   recruited driver) and touches staged days only through their primary key.
-- Rules: on a full rebuild the staged tables are empty, so every recruited driver is rebuilt.
create temporary table stage_rebuild on commit drop as
select recruited.driver_id
from stage_recruited as recruited
left join ops.stg_driver_trips_14d as staged using (driver_id)
where staged.lead_date is distinct from recruited.lead_date;

create temporary table stage_leaving on commit drop as
select staged.driver_id
from ops.stg_driver_trips_14d as staged
where not exists (select from stage_recruited as r where r.driver_id = staged.driver_id);

alter table stage_rebuild add primary key (driver_id);

alter table stage_leaving add primary key (driver_id);

analyze stage_rebuild;

analyze stage_leaving;

delete from ops.stg_trip_days
where driver_id in (select driver_id from stage_rebuild union all select driver_id from stage_leaving);

delete from ops.stg_driver_trips_14d
where driver_id in (select driver_id from stage_leaving);
