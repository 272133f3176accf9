-- A full rebuild loads ops.stg_trip_days emptied and without its indexes (about 3x faster than
-- maintaining them row by row for 1.6 M days), then days_indexes.sql builds them once.
-- Grain: DDL on ops.stg_trip_days, inside the staging transaction (its truncate already holds
--   the table's exclusive lock).
alter table ops.stg_trip_days drop constraint if exists stg_trip_days_pkey;

drop index if exists ops.stg_trip_days_connected;
