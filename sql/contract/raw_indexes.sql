-- Recommended indexes on the raw tables: the ones the ops views' plans use at scale.
-- Grain: one index per statement; idempotent (if not exists).
-- Inputs: canon.identity_links, public.summary_daily.
-- Rules: the demo/test data loader creates them on the embedded database. On a production
--   database they are never created by the pipeline: an operator runs this file on purpose
--   (psql "$DATABASE_URL" -f sql/contract/raw_indexes.sql), where CREATE INDEX holds off writes
--   to its table while it builds (seconds at these sizes); add CONCURRENTLY to each statement to
--   build without blocking writes. See README "Benchmark" for what each one saves.

-- The latest identity link of each (source_table, source_pk): every ops view that resolves a
-- person (driver identity, lead dates, scout evidence) reads the links of one source in this
-- order; with person_key included the scans are index-only and need no sort.
create index if not exists identity_links_latest_idx
    on canon.identity_links (source_table, source_pk, linked_at desc nulls last, person_key);


-- The staging step reads summary_daily's change by created_at (the day's load): a BRIN index
-- keeps that read to the newest pages of an append-mostly table, for a few kilobytes of index.
create index if not exists summary_daily_created_at_brin
    on public.summary_daily using brin (created_at);

-- Drivers that enter the recruited set (a new lead for a driver already in the park, a changed
-- identity link) are backfilled from their own rows, and the stage reconciliation check
-- recomputes a sample of drivers from theirs: both read summary_daily by driver_id.
create index if not exists summary_daily_driver_id_idx
    on public.summary_daily (driver_id);
