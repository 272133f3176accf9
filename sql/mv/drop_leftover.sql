-- Drops what an interrupted rebuild left behind (the MV's "__next" copy, which is ours).
-- Grain: one MV; <mv> is an identifier.
drop materialized view if exists {mv}
