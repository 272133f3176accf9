-- What a table derived from an MV says about itself: its COMMENT (what it was built from), or
-- nothing when it does not exist.
-- Grain: zero rows (missing) or one row.
select obj_description(to_regclass(%(name)s), 'pg_class') as comment
where to_regclass(%(name)s) is not null
