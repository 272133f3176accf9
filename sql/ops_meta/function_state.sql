-- State of one function of the ops layer: its COMMENT and its deparsed definition.
-- Grain: zero rows (missing) or one row. %(ref)s = 'schema.function(argument types)'.
select
    obj_description(p.oid, 'pg_proc') as comment,
    pg_get_functiondef(p.oid) as definition
from pg_proc as p
where p.oid = to_regprocedure(%(ref)s)
