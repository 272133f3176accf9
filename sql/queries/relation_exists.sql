-- Whether a relation (the MV) exists, so `cobranza serve` can say at start that the
-- endpoints will answer 503 until it is built.
-- Grain: one row.
select to_regclass(%(relation)s) is not null as relation_exists
