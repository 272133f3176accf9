-- Records, on a materialized view, what it was built from (warehouse/fingerprints.py).
-- Grain: one MV; <mv> is an identifier, <comment> a literal.
comment on materialized view {mv} is {comment}
