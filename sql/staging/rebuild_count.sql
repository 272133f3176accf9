-- How many drivers this staging run backfills from raw (rebuild_set.sql filled the table).
-- Grain: one row.
select count(*) as drivers from stage_rebuild
