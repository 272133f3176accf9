-- The swap's own lock_timeout, for the rest of its transaction only: while the swap waits for
-- ACCESS EXCLUSIVE on the MV, every new reader queues behind it, so it must give up soon and
-- try again rather than hold the readers for the session's whole lock_timeout.
-- Grain: one row, the value now in force.
select set_config('lock_timeout', %(lock_timeout)s, true)
