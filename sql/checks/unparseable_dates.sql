-- Raw summary_daily rows whose date_file could not be parsed (skipped by ops.v_trips_daily).
-- Grain: one row: the count, the share of all rows and up to 10 distinct example values.
-- Violation: summary_daily rows with an unparseable date_file
-- When it fails: These rows are skipped (their trips do not count): fix the date_file
--   values at the source.
select
    count(*) filter (where trip_date is null) as violations,
    count(*) as total_rows,
    (array_agg(distinct coalesce(date_file, '<NULL>')) filter (where trip_date is null))[1:10] as examples
from ops.v_summary_daily_parsed
