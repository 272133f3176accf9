-- A full rebuild's census of summary_daily.date_file: every distinct value of the raw table
-- (NULL included) with its parse, its row count and its newest created_at, for
-- unparseable_all.sql. A statement of its own, and a CREATE TABLE AS: a read that writes
-- nothing else may run in parallel workers (an INSERT never does), and this is the one read
-- of every raw row the rebuild makes.
-- Grain: one row per distinct date_file; a temporary table dropped at commit.
-- Inputs: public.summary_daily, ops.parse_date_file.
create temporary table stage_date_files on commit drop as
with file_values as (
    select date_file, count(*) as raw_rows, max(created_at) as newest_created_at
    from public.summary_daily
    group by date_file
)

select date_file, ops.parse_date_file(date_file) as trip_date, raw_rows, newest_created_at
from file_values
