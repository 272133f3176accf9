-- Recommended indexes on the raw tables: the ones the ops views' plans use at scale.
-- Grain: one index per statement; idempotent (if not exists).
-- Inputs: canon.identity_links.
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

