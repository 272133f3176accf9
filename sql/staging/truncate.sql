-- A full rebuild starts from empty staged tables (the views and the MV that read them stay).
-- Grain: every row of the three staged tables.
truncate table ops.stg_trip_days, ops.stg_driver_trips_14d, ops.stg_unparseable_rows
