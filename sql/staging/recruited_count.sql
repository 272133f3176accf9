-- How many drivers are recruited in this staging run (the stage's row count).
-- Grain: one row.
select count(*) as drivers from stage_recruited
