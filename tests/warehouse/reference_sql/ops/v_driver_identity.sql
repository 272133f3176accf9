-- ops.v_driver_identity: who each driver is.
-- Grain: one row per driver_id (enforced with distinct on).
-- Inputs: public.drivers, canon.identity_links.
-- Rules: driver_id repeats in public.drivers: the latest updated_at wins (ties broken by the
--   name columns, so the pick is deterministic). driver_name = full_name, else the non-empty
--   name parts joined by spaces, else 'N/A'. person_key = the 'drivers' identity link of the
--   driver (latest linked_at); NULL when the driver has no link.
create or replace view ops.v_driver_identity as

with drivers as (
    select driver_id, full_name, first_name, middle_name, last_name, updated_at
    from public.drivers
    where nullif(trim(driver_id), '') is not null
),

driver_links as (
    select source_pk as driver_id, person_key, linked_at
    from canon.identity_links
    where source_table = 'drivers'
      and person_key is not null
),

latest_driver_row as (
    select distinct on (driver_id) *
    from drivers
    order by driver_id, updated_at desc nulls last, full_name, first_name, middle_name, last_name
),

latest_link as (
    select distinct on (driver_id) driver_id, person_key
    from driver_links
    order by driver_id, linked_at desc nulls last, person_key
),

named as (
    select
        driver_id,
        coalesce(
            nullif(trim(full_name), ''),
            nullif(concat_ws(' ',
                nullif(trim(first_name), ''),
                nullif(trim(middle_name), ''),
                nullif(trim(last_name), '')
            ), ''),
            'N/A'
        ) as driver_name
    from latest_driver_row
)

select
    named.driver_id,
    named.driver_name,
    latest_link.person_key
from named
left join latest_link using (driver_id);
