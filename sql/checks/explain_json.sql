-- The plan of one dashboard query, to record which indexes it uses (no execution).
-- Grain: one row holding the JSON plan; <query> is a query file of sql/queries/ composed in,
-- its parameters bound by the caller.
explain (format json) {query}
