-- Closes, as 'abandoned', the 'running' attempts of one MV whose session is gone: their process
-- was killed (SIGKILL, the host lost) before it could close its row. Run by the next refresh
-- once it holds the MV's refresh lock, so no other attempt is refreshing; an attempt waiting
-- for that lock still has its session and is left alone.
-- Grain: updates the abandoned rows; returns id and error of each.
-- Inputs: ops.mv_refresh_log, pg_stat_activity, pg_stat_all_tables; %(mv_name)s, %(current_id)s
--   (the caller's own row), %(grace)s (an interval).
-- Rules: a row's session is alive when a backend with its pid and backend_start exists (a pid
--   reused later has another backend_start). A row without a session was killed between
--   opening the row and connecting, which takes at most the connect timeout: it is abandoned
--   once older than %(grace)s. The error says what is known: the session, and whether the MV
--   was analyzed by hand after the attempt started (last_analyze: the refresh's own ANALYZE,
--   its last step, says the server finished the refresh although its client was gone; a
--   DBA's ANALYZE would say the same). Autovacuum's analyze (last_autoanalyze) is no such
--   sign: it runs on its own schedule for the MV's earlier changes, also while an attempt that
--   will be rolled back is in flight.
with abandoned as (
    select
        log.id,
        log.backend_pid,
        stats.last_analyze as analyzed_at,
        log.started_at
    from ops.mv_refresh_log as log
    left join pg_stat_all_tables as stats on stats.relid = to_regclass(log.mv_name)
    where log.mv_name = %(mv_name)s
      and log.status = 'running'
      and log.id is distinct from %(current_id)s
      and not exists (
          select from pg_stat_activity as activity
          where activity.pid = log.backend_pid and activity.backend_start = log.backend_start
      )
      and (log.backend_pid is not null or log.started_at < clock_timestamp() - %(grace)s::interval)
)

update ops.mv_refresh_log as log
set status = 'abandoned',
    finished_at = clock_timestamp(),
    error = 'abandoned: the process running this attempt ended without closing it (killed, or its host was lost); '
        || coalesce('its session (pid ' || abandoned.backend_pid || ') was gone', 'it never opened its session')
        || ' when the next refresh started; '
        || case
               when abandoned.analyzed_at >= abandoned.started_at
                   then 'the MV was analyzed at ' || to_char(abandoned.analyzed_at, 'YYYY-MM-DD HH24:MI:SSOF')
                        || ', so the server finished the refresh'
               else 'no sign the server finished it (the MV was not analyzed since it started)'
           end
from abandoned
where log.id = abandoned.id
returning log.id, log.error
