-- Loads generated rows into one raw table (the demo and test data only).
-- Grain: one raw table; <table> is an identifier and <columns> a list of identifiers, both
-- composed from the demo generator's table list.
copy {table} ({columns}) from stdin
