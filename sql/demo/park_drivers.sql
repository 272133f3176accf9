-- Demo and benchmark only: the park's drivers who never came through a cabinet lead (the ~99 %
-- of summary_daily that production holds besides the recruited drivers).
-- Grain: inserts %(park)s public.drivers rows, ids 'P0000001' ...
insert into public.drivers (driver_id, full_name, first_name, last_name, updated_at)
select
    'P' || lpad(n::text, 7, '0'),
    'Conductor ' || n,
    'Conductor',
    n::text,
    %(as_of)s::date - 400 + (n %% 300)
from generate_series(1, %(park)s) as n
