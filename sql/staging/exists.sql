-- Whether the staging step has ever run here (its state table exists).
-- Grain: one row.
select to_regclass('ops.stage_state') is not null as exists
