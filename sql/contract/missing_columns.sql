-- Source contract check: which required raw columns are missing or of the wrong type family.
-- Grain: one row per required (table, column) that is absent or mistyped; empty when the
--   database honours the contract.
-- Inputs: information_schema.columns and information_schema.tables.
-- Rules: extra columns are fine; a type family accepts the types production has used for the
--   column (text also accepts varchar, integer any int width, timestamp with or without zone).
with required (table_schema, table_name, column_name, type_family) as (
    values
        ('public', 'drivers', 'driver_id', 'text'),
        ('public', 'drivers', 'full_name', 'text'),
        ('public', 'drivers', 'first_name', 'text'),
        ('public', 'drivers', 'middle_name', 'text'),
        ('public', 'drivers', 'last_name', 'text'),
        ('public', 'drivers', 'updated_at', 'timestamp'),
        ('public', 'summary_daily', 'driver_id', 'text'),
        ('public', 'summary_daily', 'date_file', 'text'),
        ('public', 'summary_daily', 'count_orders_completed', 'integer'),
        ('public', 'summary_daily', 'sum_work_time_seconds', 'number'),
        ('public', 'summary_daily', 'created_at', 'timestamp'),
        ('public', 'module_ct_cabinet_leads', 'id', 'integer'),
        ('public', 'module_ct_cabinet_leads', 'external_id', 'text'),
        ('public', 'module_ct_cabinet_leads', 'lead_created_at', 'timestamp'),
        ('public', 'module_ct_cabinet_leads', 'created_at', 'timestamp'),
        ('public', 'module_ct_scouting_daily', 'id', 'integer'),
        ('public', 'module_ct_scouting_daily', 'registration_date', 'date'),
        ('public', 'module_ct_scouting_daily', 'scout_id', 'integer'),
        ('public', 'module_ct_scouting_daily', 'created_at', 'timestamp'),
        ('public', 'module_ct_migrations', 'id', 'integer'),
        ('public', 'module_ct_migrations', 'driver_id', 'text'),
        ('public', 'module_ct_migrations', 'scout_id', 'integer'),
        ('public', 'module_ct_migrations', 'hire_date', 'date'),
        ('public', 'module_ct_migrations', 'created_at', 'timestamp'),
        ('public', 'module_ct_cabinet_payments', 'id', 'integer'),
        ('public', 'module_ct_cabinet_payments', 'date', 'date'),
        ('public', 'module_ct_cabinet_payments', 'driver', 'text'),
        ('public', 'module_ct_cabinet_payments', 'driver_id', 'text'),
        ('public', 'module_ct_cabinet_payments', 'scout_id', 'integer'),
        ('public', 'module_ct_cabinet_payments', 'trip_1', 'boolean'),
        ('public', 'module_ct_cabinet_payments', 'trip_5', 'boolean'),
        ('public', 'module_ct_cabinet_payments', 'trip_25', 'boolean'),
        ('public', 'module_ct_cabinet_payments', 'created_at', 'timestamp'),
        ('public', 'module_ct_scouts_list', 'scout_id', 'integer'),
        ('public', 'module_ct_scouts_list', 'raw_name', 'text'),
        ('public', 'module_ct_scouts_list', 'name', 'text'),
        ('public', 'module_ct_scouts_list', 'is_active', 'boolean'),
        ('canon', 'identity_links', 'person_key', 'uuid'),
        ('canon', 'identity_links', 'source_table', 'text'),
        ('canon', 'identity_links', 'source_pk', 'text'),
        ('canon', 'identity_links', 'linked_at', 'timestamp'),
        ('observational', 'lead_ledger', 'person_key', 'uuid'),
        ('observational', 'lead_ledger', 'attributed_scout_id', 'integer'),
        ('observational', 'lead_ledger', 'updated_at', 'timestamp'),
        ('observational', 'lead_events', 'source_table', 'text'),
        ('observational', 'lead_events', 'source_pk', 'text'),
        ('observational', 'lead_events', 'event_date', 'date'),
        ('observational', 'lead_events', 'person_key', 'uuid'),
        ('observational', 'lead_events', 'scout_id', 'integer'),
        ('observational', 'lead_events', 'payload_json', 'json'),
        ('observational', 'lead_events', 'created_at', 'timestamp')
),

type_families (type_family, udt_name) as (
    values
        ('text', 'text'), ('text', 'varchar'), ('text', 'bpchar'),
        ('integer', 'int2'), ('integer', 'int4'), ('integer', 'int8'),
        ('number', 'numeric'), ('number', 'int2'), ('number', 'int4'), ('number', 'int8'),
        ('number', 'float4'), ('number', 'float8'),
        ('timestamp', 'timestamp'), ('timestamp', 'timestamptz'),
        ('date', 'date'),
        ('boolean', 'bool'),
        ('uuid', 'uuid'),
        ('json', 'jsonb'), ('json', 'json')
),

actual as (
    select c.table_schema::text, c.table_name::text, c.column_name::text, c.udt_name::text
    from information_schema.columns as c
    where c.table_schema in ('public', 'canon', 'observational')
),

checked as (
    select
        r.table_schema,
        r.table_name,
        r.column_name,
        r.type_family,
        a.udt_name,
        exists (
            select 1 from information_schema.tables as t
            where t.table_schema = r.table_schema and t.table_name = r.table_name
        ) as table_exists
    from required as r
    left join actual as a
        on a.table_schema = r.table_schema
        and a.table_name = r.table_name
        and a.column_name = r.column_name
)

select
    table_schema || '.' || table_name as table_name,
    column_name,
    type_family as expected_type,
    udt_name as actual_type,
    case
        when not table_exists then 'missing table'
        when udt_name is null then 'missing column'
        else 'wrong type'
    end as problem
from checked
where not table_exists
    or udt_name is null
    or not exists (
        select 1 from type_families as f
        where f.type_family = checked.type_family and f.udt_name = checked.udt_name
    )
order by table_name, column_name
