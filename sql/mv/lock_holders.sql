-- Who is in the way: sessions holding the advisory refresh lock of an MV, or holding
-- conflicting locks on the MV itself. Used to turn a lock wait into a message that names
-- the blocking pid and its query.
-- Grain: one row per (holder pid, lock).
select
    a.pid,
    a.application_name,
    a.state,
    a.query_start,
    left(a.query, 200) as query,
    l.locktype,
    l.mode
from pg_locks as l
join pg_stat_activity as a on a.pid = l.pid
where l.granted
  and l.pid <> pg_backend_pid()
  and (
      (l.locktype = 'advisory' and l.classid = %(lock_class)s and l.objid = %(lock_key)s and l.objsubid = 2)
      or (l.locktype = 'relation' and l.relation = to_regclass(%(qualified_name)s))
  )
order by a.query_start
