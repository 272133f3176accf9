-- Raw summary_daily rows whose date_file could not be parsed (skipped by the staging step).
-- Grain: one row: the count and up to 10 distinct example values.
-- Inputs: ops.stg_unparseable_rows (the staging step records each such row once, by its
--   ctid, as it reads the day's change; a full rebuild records them all anew).
-- Violation: summary_daily rows with an unparseable date_file
-- When it fails: These rows are skipped (their trips do not count): fix the date_file
--   values at the source.
select
    count(*) as violations,
    (array_agg(distinct coalesce(date_file, '<NULL>')))[1:10] as examples
from ops.stg_unparseable_rows
