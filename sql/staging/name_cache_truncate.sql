-- The name rule changed (ops.normalize_name's file): every cached result is dropped and computed anew.
-- Grain: every row of ops.stg_normalized_names.
truncate table ops.stg_normalized_names
