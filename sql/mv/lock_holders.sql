-- Who is in the way: sessions holding the advisory refresh lock of an MV, any lock on the MV
-- itself, or an ACCESS EXCLUSIVE lock (the only mode that blocks reading) on a relation the
-- MV reads, directly or through views. Used to turn a lock wait or a lock_timeout into a
-- message that names the blocking pid and its query (looked up from a new session right after
-- the wait ended, so a holder that let go in between is not listed).
-- Grain: one row per (holder pid, lock) in this database; the advisory lock first, then the
--   strongest modes.
with recursive reads (oid) as (
    select to_regclass(name)::oid
    from unnest(array_prepend(%(qualified_name)s::text, %(deps)s::text[])) as name
    where to_regclass(name) is not null
    union
    select d.refobjid
    from reads as r
    join pg_rewrite as w on w.ev_class = r.oid
    join pg_depend as d
        on d.classid = 'pg_rewrite'::regclass and d.objid = w.oid and d.refclassid = 'pg_class'::regclass
    where d.refobjid <> r.oid
)

select
    a.pid,
    a.application_name,
    a.state,
    a.query_start,
    left(a.query, 200) as query,
    l.locktype,
    l.mode,
    l.relation::regclass::text as relation
from pg_locks as l
join pg_stat_activity as a on a.pid = l.pid
where l.granted
  and l.pid <> pg_backend_pid()
  and l.database = (select oid from pg_database where datname = current_database())
  and (
      (l.locktype = 'advisory' and l.classid = %(lock_class)s and l.objid = %(lock_key)s and l.objsubid = 2)
      or (l.locktype = 'relation' and l.relation = to_regclass(%(qualified_name)s))
      or (l.locktype = 'relation' and l.mode = 'AccessExclusiveLock' and l.relation in (select oid from reads))
  )
order by
    l.locktype <> 'advisory',
    array_position(
        array['AccessExclusiveLock', 'ExclusiveLock', 'ShareRowExclusiveLock', 'ShareLock',
              'ShareUpdateExclusiveLock', 'RowExclusiveLock', 'RowShareLock', 'AccessShareLock'],
        l.mode::text
    ),
    a.query_start,
    a.pid
