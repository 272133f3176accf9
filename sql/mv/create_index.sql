-- One declared index of a materialized view.
-- Grain: one index; <unique> is empty or "unique ", <index> and <mv> identifiers, <columns>
-- and <where> the declaration's column list and optional " where ..." from the catalog.
create {unique}index {index} on {mv} {columns}{where}
