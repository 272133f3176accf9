-- Ends the sessions that keep a rebuild's swap from its lock: any session holding a lock on the
-- MV or on a table derived from it whose transaction began before the swap started waiting
-- (older than %(older_than)s), so a reader that arrived in between is left alone.
-- Grain: one row per terminated session: pid, application_name, since when, its query.
-- Inputs: pg_locks, pg_stat_activity; %(relations)s = the MV and its derived tables
--   ('schema.name'), %(older_than)s = an interval.
-- Rules: pg_terminate_backend (not pg_cancel_backend: a session idle in its transaction has
--   no query to cancel and keeps its locks); needs superuser or pg_signal_backend.
with blockers as (
    select distinct a.pid, a.application_name, a.xact_start, left(a.query, 200) as query
    from pg_stat_activity as a
    join pg_locks as l on l.pid = a.pid and l.granted
    where a.pid <> pg_backend_pid()
      and a.datname = current_database()  -- relation oids repeat across a server's databases
      and l.database = (select oid from pg_database where datname = current_database())
      and l.relation in (select to_regclass(name) from unnest(%(relations)s::text[]) as name)
      and a.xact_start < clock_timestamp() - %(older_than)s::interval
)

select pid, application_name, xact_start, query
from blockers
where pg_terminate_backend(pid)
order by pid
