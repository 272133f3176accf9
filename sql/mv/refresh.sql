-- Plain refresh: for an MV that exists but was never populated (CONCURRENTLY needs rows).
-- Readers wait for it. Grain: one MV; <mv> is an identifier.
refresh materialized view {mv}
