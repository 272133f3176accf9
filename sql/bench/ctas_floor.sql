-- Benchmark only: the floor of what PostgreSQL can do for the MV's result, a CREATE TABLE AS
-- of the same SELECT into a temporary table (rolled back by the caller).
-- Grain: the MV's rows; <select> is the MV's SELECT file, composed in.
create temporary table bench_floor as {select}
