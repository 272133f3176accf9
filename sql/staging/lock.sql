-- One staging run at a time: a transaction-level advisory lock, held until the run commits.
-- Grain: one row; waits up to the session's lock_timeout.
select pg_advisory_xact_lock(%(lock_class)s, %(lock_key)s)
