-- Benchmark only: after the demo data load, the state autovacuum leaves a loaded table in
-- (statistics and the visibility map), so the first job is timed as production would run it.
-- Grain: the whole benchmark database.
vacuum (analyze)
