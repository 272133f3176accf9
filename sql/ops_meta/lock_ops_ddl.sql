-- Serializes DDL on the ops schema: a transaction-level advisory lock, held until commit, so
-- two runs started together never create the same view at once (one would fail with a
-- duplicate key in the catalog).
-- Grain: one row; waits up to the session's lock_timeout.
select pg_advisory_xact_lock(%(lock_class)s, %(lock_key)s)
