-- Whether a relation exists: the MV, so `cobranza serve` can say at start that the endpoints
-- will answer 503 until it is built; ops.mv_refresh_log, before the page reads its freshness.
-- Grain: one row.
select to_regclass(%(relation)s) is not null as relation_exists
