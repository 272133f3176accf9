-- Benchmark only: the size of the benchmark's database after the runs.
-- Grain: one row, in bytes.
select pg_database_size(current_database()) as bytes
