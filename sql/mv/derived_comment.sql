-- Records, on a table derived from an MV, the declaration it was built from.
-- Grain: one table; <table> is an identifier, <comment> a literal.
comment on table {table} is {comment}
