-- Records, on an index of a materialized view, the declaration it was built from.
-- Grain: one index; <index> is an identifier, <comment> a literal.
comment on index {index} is {comment}
