-- Fragment: the raw summary_daily rows a staging run reads when it follows the change: those
-- with created_at after %(since)s (the watermark less the lookback; NULL reads every row, for a
-- full rebuild), and those without a created_at, which no watermark can place (read again each
-- run: merging a row twice changes nothing). With the recommended BRIN index on created_at
-- (sql/contract/raw_indexes.sql) this reads the day's rows, not the history.
-- Grain: one row per raw row, with its ctid (the key of ops.stg_unparseable_rows).
select s.ctid as raw_ctid, s.driver_id, s.date_file, s.count_orders_completed, s.sum_work_time_seconds, s.created_at
from public.summary_daily as s
where %(since)s::timestamptz is null or s.created_at > %(since)s::timestamptz or s.created_at is null
