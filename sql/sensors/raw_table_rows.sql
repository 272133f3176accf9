-- Rows of every raw table the pipeline reads, as PostgreSQL's statistics keep them: n_live_tup
-- (kept current by every write and by ANALYZE; an estimate, not a count(*)), read in O(1)
-- whatever the tables' size. The change sensor records it on each raw asset when the table
-- changed (README "Incremental pipeline").
-- Grain: one row per raw table of the source contract that exists.
with raw_tables (table_name) as (
    values ('public.drivers'), ('public.summary_daily'), ('public.module_ct_cabinet_leads'),
        ('public.module_ct_scouting_daily'), ('public.module_ct_migrations'), ('public.module_ct_cabinet_payments'),
        ('public.module_ct_scouts_list'), ('canon.identity_links'), ('observational.lead_ledger'),
        ('observational.lead_events')
)

select
    raw_tables.table_name,
    s.n_live_tup as live_rows
from raw_tables
join pg_stat_user_tables as s on s.relid = to_regclass(raw_tables.table_name)
order by raw_tables.table_name
