-- ops.mv_refresh_log: one row per refresh attempt of any MV the pipeline manages, so tools
-- outside Dagster (dashboards, on-call queries) can see freshness and failures.
-- Grain: one row per attempt (a retried refresh writes one row per try).
-- Inputs: written by the MV machinery only.
-- Rules: status is 'running' while the attempt runs, then 'success' or 'failed'; error holds
--   the message (never a password: the machinery masks URLs before writing). backend_pid and
--   backend_start name the attempt's session; a 'running' row whose session is gone (its
--   process was killed) is closed as 'abandoned' by the next refresh of the MV. A table made
--   before these columns existed gets them (and the wider status rule) here.
create schema if not exists ops;

create table if not exists ops.mv_refresh_log (
    id                 bigint generated always as identity primary key,
    mv_name            text not null,
    run_id             text,
    attempt            integer not null,
    started_at         timestamptz not null default clock_timestamp(),
    finished_at        timestamptz,
    status             text not null default 'running',
    mode               text check (mode in ('create', 'concurrent', 'plain', 'rebuild')),
    duration_ms        bigint,
    rows_after_refresh bigint,
    error              text,
    backend_pid        integer,
    backend_start      timestamptz
);

-- Upgrading an older table only when it needs it: ALTER TABLE takes an ACCESS EXCLUSIVE lock
-- even when there is nothing to do, and the page and the freshness check read this table.
do $upgrade$
begin
    if not exists (select from pg_attribute
                   where attrelid = 'ops.mv_refresh_log'::regclass and attname = 'backend_start') then
        alter table ops.mv_refresh_log add column if not exists backend_pid integer,
                                       add column if not exists backend_start timestamptz;
    end if;
    if not exists (select from pg_constraint
                   where conrelid = 'ops.mv_refresh_log'::regclass and conname = 'mv_refresh_log_status_check'
                     and pg_get_constraintdef(oid) like '%abandoned%') then
        alter table ops.mv_refresh_log drop constraint if exists mv_refresh_log_status_check,
            add constraint mv_refresh_log_status_check check (status in ('running', 'success', 'failed', 'abandoned'));
    end if;
end
$upgrade$;
