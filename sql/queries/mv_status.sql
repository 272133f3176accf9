-- The page's "data as of": the MV's last successful refresh and whether a refresh runs now.
-- Grain: one row (also when the log has no row for the MV: last_success NULL).
-- Inputs: ops.mv_refresh_log, pg_locks; %(mv_name)s = 'schema.name', %(lock_class)s and
--   %(lock_key)s = the MV's advisory refresh lock (warehouse/matview/spec.py).
-- Rules: last_success is the latest finished_at of a 'success' attempt, with its mode and rows;
--   hours_since counts from it to now (the same measure as checks/mv_freshness.sql).
--   refreshing is true while some session holds the MV's refresh lock (every refresh takes it
--   before any DDL and a dead session releases it), so a 'running' row left by a killed
--   process is not taken for a refresh in progress; refresh_started_at is the start of the
--   latest 'running' attempt then.
with last_success as (
    select finished_at, mode, rows_after_refresh
    from ops.mv_refresh_log
    where mv_name = %(mv_name)s
      and status = 'success'
    order by finished_at desc
    limit 1
),

lock_holder as (
    select count(*) > 0 as refreshing
    from pg_locks
    where locktype = 'advisory'
      and granted
      and classid = %(lock_class)s
      and objid = %(lock_key)s
      and objsubid = 2
      and database = (select oid from pg_database where datname = current_database())
),

running as (
    select max(started_at) as started_at
    from ops.mv_refresh_log
    where mv_name = %(mv_name)s
      and status = 'running'
)

select
    s.finished_at as last_success,
    s.mode as last_mode,
    s.rows_after_refresh as last_rows,
    round((extract(epoch from clock_timestamp() - s.finished_at) / 3600)::numeric, 2) as hours_since,
    l.refreshing,
    case when l.refreshing then r.started_at end as refresh_started_at
from lock_holder as l
cross join running as r
left join last_success as s on true
