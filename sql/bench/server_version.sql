-- Benchmark only: which PostgreSQL the figures come from.
-- Grain: one row.
select current_setting('server_version') as server_version
