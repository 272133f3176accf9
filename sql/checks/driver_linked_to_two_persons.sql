-- Drivers whose identity links name more than one person: ops.v_driver_identity keeps the
-- latest link, so the driver's lead date and scout come from one person and the other
-- person's evidence is silently ignored.
-- Grain: one row: the count and up to 10 examples 'driver_id: n persons'.
-- Inputs: canon.identity_links (source_table 'drivers'; source_pk compared trimmed, as a
--   driver id padded with spaces is the same driver to a person reading it).
-- Violation: drivers linked to more than one person
-- When it fails: Merge the persons, or remove the wrong link, in the identity source; the
--   examples name the drivers.
with persons_per_driver as (
    select trim(source_pk) as driver_id, count(distinct person_key) as persons
    from canon.identity_links
    where source_table = 'drivers' and person_key is not null and nullif(trim(source_pk), '') is not null
    group by trim(source_pk)
)

select
    count(*) as violations,
    (array_agg(driver_id || ': ' || persons || ' persons' order by driver_id))[1:10] as examples
from persons_per_driver
where persons > 1
