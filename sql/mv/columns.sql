-- Columns of one relation as readers see them: name, type (with modifiers, e.g. numeric(12,2))
-- and whether it may be NULL, in column order. Feeds the MV asset's column schema in the UI.
-- Grain: one row per live column; zero rows when the relation is missing.
-- Inputs: %(relation)s = 'schema.name'.
select
    a.attname as name,
    format_type(a.atttypid, a.atttypmod) as type,
    not a.attnotnull as nullable
from pg_attribute as a
where a.attrelid = to_regclass(%(relation)s)
  and a.attnum > 0
  and not a.attisdropped
order by a.attnum
