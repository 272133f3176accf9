-- Gives the rebuilt MV the live name during the swap.
-- Grain: one MV; <mv> is an identifier, <new_name> a bare identifier.
alter materialized view {mv} rename to {new_name}
