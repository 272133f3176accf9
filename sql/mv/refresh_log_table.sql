-- ops.mv_refresh_log: one row per refresh attempt of any MV the pipeline manages, so tools
-- outside Dagster (dashboards, on-call queries) can see freshness and failures.
-- Grain: one row per attempt (a retried refresh writes one row per try).
-- Inputs: written by the MV machinery only.
-- Rules: status is 'running' while the attempt runs, then 'success' or 'failed'; error holds
--   the message (never a password: the machinery masks URLs before writing).
create schema if not exists ops;

create table if not exists ops.mv_refresh_log (
    id                 bigint generated always as identity primary key,
    mv_name            text not null,
    run_id             text,
    attempt            integer not null,
    started_at         timestamptz not null default clock_timestamp(),
    finished_at        timestamptz,
    status             text not null default 'running' check (status in ('running', 'success', 'failed')),
    mode               text check (mode in ('create', 'concurrent', 'plain', 'rebuild')),
    duration_ms        bigint,
    rows_after_refresh bigint,
    error              text
);

create index if not exists mv_refresh_log_mv_name_started_at on ops.mv_refresh_log (mv_name, started_at desc);
