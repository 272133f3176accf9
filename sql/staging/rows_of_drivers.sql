-- Fragment: every raw summary_daily row of the drivers in <drivers> (a temporary table of
-- driver_ids): the backfill of drivers that became recruited or whose lead date moved, and the
-- sample the reconciliation check recomputes. With the recommended index on driver_id
-- (sql/contract/raw_indexes.sql) this reads those drivers' rows only.
-- Grain: one row per raw row of those drivers.
select s.ctid as raw_ctid, s.driver_id, s.date_file, s.count_orders_completed, s.sum_work_time_seconds, s.created_at
from public.summary_daily as s
where s.driver_id in (select driver_id from {drivers})
