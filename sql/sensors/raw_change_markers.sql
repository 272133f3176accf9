-- Change markers of every raw table the pipeline reads, in O(1) whatever the tables' size: the
-- table's storage (a TRUNCATE or reload changes relfilenode) and its cumulative insert, update
-- and delete counters (pg_stat_user_tables). Any write moves the marker; the statistics show
-- it once the writing session has flushed them (within seconds). live_rows is n_live_tup (kept
-- current by every write and by ANALYZE; an estimate, not a count(*)): the change sensor records
-- it on each changed raw asset (README "Incremental pipeline").
-- Grain: one row per raw table of the source contract (a missing table has an empty marker and
--   no live_rows).
with raw_tables (table_name) as (
    values ('public.drivers'), ('public.summary_daily'), ('public.module_ct_cabinet_leads'),
        ('public.module_ct_scouting_daily'), ('public.module_ct_migrations'), ('public.module_ct_cabinet_payments'),
        ('public.module_ct_scouts_list'), ('canon.identity_links'), ('observational.lead_ledger'),
        ('observational.lead_events')
)

select
    raw_tables.table_name,
    concat_ws('|', c.relfilenode, s.n_tup_ins, s.n_tup_upd, s.n_tup_del) as marker,
    s.n_live_tup as live_rows
from raw_tables
left join pg_class as c on c.oid = to_regclass(raw_tables.table_name)
left join pg_stat_user_tables as s on s.relid = c.oid
order by raw_tables.table_name
