-- State of one view of the ops layer: its COMMENT (what the pipeline recorded when it applied
-- the file) and its definition as PostgreSQL deparses it now (hand edits change it).
-- Grain: zero rows (missing) or one row. %(ref)s = 'schema.view'.
select
    obj_description(c.oid, 'pg_class') as comment,
    pg_get_viewdef(c.oid) as definition
from pg_class as c
where c.oid = to_regclass(%(ref)s)
  and c.relkind = 'v'
