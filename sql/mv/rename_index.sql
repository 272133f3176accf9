-- Gives a rebuilt MV's index its declared name during the swap.
-- Grain: one index; <index> is an identifier, <new_name> a bare identifier.
alter index {index} rename to {new_name}
