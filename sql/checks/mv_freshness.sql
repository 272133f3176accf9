-- Freshness of one MV: its last successful refresh, from ops.mv_refresh_log.
-- Grain: one row; hours_since is NULL when the MV was never refreshed successfully.
-- Inputs: ops.mv_refresh_log; %(mv_name)s = 'schema.name'.
select
    max(finished_at) as last_success,
    round((extract(epoch from clock_timestamp() - max(finished_at)) / 3600)::numeric, 2) as hours_since
from ops.mv_refresh_log
where mv_name = %(mv_name)s
  and status = 'success'
