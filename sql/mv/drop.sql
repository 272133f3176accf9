-- Drops the live MV during a rebuild's swap. No CASCADE: if anything outside the product
-- depends on the MV, the drop fails and says so, and the swap's transaction rolls back.
-- Grain: one MV; <mv> is an identifier.
drop materialized view {mv}
