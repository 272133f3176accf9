-- Source contract: the raw tables the pipeline reads (docs/source-contract.md).
-- Grain: as in production; these tables mirror the production database's.
-- Used by: the embedded default database and the tests. Never run against a production
-- database: there the tables already exist and only the demo/test data generator writes here.
-- Rules: column types as in production; production may carry extra columns, which are ignored.

create schema if not exists canon;
create schema if not exists observational;

create table if not exists public.drivers (
    driver_id   text,
    full_name   text,
    first_name  text,
    middle_name text,
    last_name   text,
    updated_at  timestamptz
);

create table if not exists public.summary_daily (
    driver_id              text,
    date_file              text,
    count_orders_completed integer,
    sum_work_time_seconds  numeric,
    created_at             timestamptz
);

create table if not exists public.module_ct_cabinet_leads (
    id              integer,
    external_id     text,
    first_name      text,
    middle_name     text,
    last_name       text,
    park_phone      text,
    lead_created_at timestamp,
    created_at      timestamp
);

create table if not exists public.module_ct_scouting_daily (
    id                 integer,
    registration_date  date,
    scout_id           integer,
    driver_license     text,
    driver_name        text,
    driver_phone       text,
    acquisition_method text,
    created_at         timestamp
);

create table if not exists public.module_ct_migrations (
    id         integer,
    driver_id  text,
    scout_id   integer,
    hire_date  date,
    created_at timestamp
);

create table if not exists public.module_ct_cabinet_payments (
    id         integer,
    date       date,
    driver     text,
    driver_id  text,
    scout_id   integer,
    trip_1     boolean,
    trip_5     boolean,
    trip_25    boolean,
    created_at timestamp
);

create table if not exists public.module_ct_scouts_list (
    scout_id  integer,
    raw_name  text,
    name      text,
    is_active boolean
);

create table if not exists canon.identity_links (
    person_key   uuid,
    source_table text,
    source_pk    text,
    linked_at    timestamptz,
    unique (source_table, source_pk)
);

create table if not exists observational.lead_ledger (
    person_key          uuid,
    attributed_scout_id integer,
    updated_at          timestamptz
);

create table if not exists observational.lead_events (
    source_table text,
    source_pk    text,
    event_date   date,
    person_key   uuid,
    scout_id     integer,
    payload_json jsonb,
    created_at   timestamptz
);
