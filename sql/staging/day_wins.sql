-- Fragment of merge_days.sql: how a merged row meets the staged row of its day. It replaces it
-- only when it wins the day by the rule (latest created_at, NULL last; ties: the larger trip
-- count, then connected), so merging the same rows twice changes nothing. Left out when a full
-- rebuild loads the emptied table without its indexes (days_indexes_drop.sql): each day is
-- there once, and there is nothing to meet.
-- Grain: an ON CONFLICT clause of the insert into <days>.
on conflict (driver_id, trip_date) do update set
    trips = excluded.trips,
    connected = excluded.connected,
    created_at = excluded.created_at
where case
    when excluded.created_at is not distinct from staged.created_at
        then (excluded.trips, excluded.connected) > (staged.trips, staged.connected)
    when excluded.created_at is null then false
    when staged.created_at is null then true
    else excluded.created_at > staged.created_at
end
