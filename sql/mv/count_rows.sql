-- Rows of a relation after a refresh (the materialization's row count).
-- Grain: one row; <relation> is an identifier.
select count(*) as row_count from {relation}
