-- Empties a table derived from an MV before it is filled again, in the refresh's transaction:
-- readers keep seeing the previous rows until it commits (DELETE, not TRUNCATE, which would
-- make them wait).
-- Grain: every row of one table; <table> is an identifier.
delete from {table}
