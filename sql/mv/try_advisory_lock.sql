-- Takes the refresh lock of one MV if it is free: true when taken, false when another
-- session holds it. Session-level: released when the refresh's session ends.
-- Grain: one row.
select pg_try_advisory_lock(%(lock_class)s, %(lock_key)s)
