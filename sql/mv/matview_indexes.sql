-- Indexes of one relation, with the flags that matter: a REFRESH ... CONCURRENTLY needs a
-- valid unique index on plain columns (no expression, no WHERE). The COMMENT records what the
-- machinery built, so an index recreated by hand under the same name is told apart.
-- Grain: one row per index of the relation.
select
    i.relname as index_name,
    x.indisvalid as is_valid,
    x.indisunique as is_unique,
    x.indpred is null and x.indexprs is null as is_plain,
    pg_get_indexdef(x.indexrelid) as definition,
    obj_description(x.indexrelid, 'pg_class') as comment
from pg_index as x
join pg_class as i on i.oid = x.indexrelid
join pg_class as t on t.oid = x.indrelid
join pg_namespace as n on n.oid = t.relnamespace
where n.nspname = %(schema)s
  and t.relname = %(name)s
order by i.relname
