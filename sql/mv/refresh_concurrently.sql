-- The daily refresh: readers keep reading the old rows until it commits; needs a unique
-- index on plain columns. Grain: one MV; <mv> is an identifier.
refresh materialized view concurrently {mv}
