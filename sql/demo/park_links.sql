-- Demo and benchmark only: each park driver's 'drivers' identity link (every driver of the
-- park has a person, as in production; none of them has a lead).
-- Grain: inserts one canon.identity_links row per park driver.
insert into canon.identity_links (person_key, source_table, source_pk, linked_at)
select md5('park:' || %(seed)s || ':' || n)::uuid, 'drivers', 'P' || lpad(n::text, 7, '0'),
    %(as_of)s::date - 400 + (n %% 300)
from generate_series(1, %(park)s) as n
