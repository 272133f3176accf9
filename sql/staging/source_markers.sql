-- Integrity markers of public.summary_daily, read in O(1) from the catalog and the cumulative
-- statistics: the table's identity (a TRUNCATE, VACUUM FULL or reload changes relfilenode),
-- its updated and deleted row counters, and when the statistics were last reset. An
-- incremental run trusts its state only while these show inserts alone.
-- Grain: one row (NULLs when the table or its statistics are missing).
select
    c.oid as source_oid,
    c.relfilenode as source_relfilenode,
    s.n_tup_upd as source_updates,
    s.n_tup_del as source_deletes,
    pg_stat_get_db_stat_reset_time(d.oid) as stats_reset,
    current_setting('track_counts')::boolean as track_counts
from pg_class as c
left join pg_stat_user_tables as s on s.relid = c.oid
cross join pg_database as d
where c.oid = to_regclass('public.summary_daily')
  and d.datname = current_database()
