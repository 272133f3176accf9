-- ops.stg_trip_days' indexes, built after a full rebuild's load (days_indexes_drop.sql); the
-- same as tables.sql declares: the primary key (the merge's conflict target and the windows'
-- reads) and the partial index of connected days (the first connected day of a driver).
-- Grain: DDL on ops.stg_trip_days, inside the staging transaction.
alter table ops.stg_trip_days add constraint stg_trip_days_pkey primary key (driver_id, trip_date);

create index stg_trip_days_connected on ops.stg_trip_days (driver_id, trip_date) where connected;
