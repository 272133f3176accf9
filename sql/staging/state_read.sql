-- What the last staging run left: its definition hash, watermark and the markers it saw.
-- Grain: zero rows (never staged) or one row.
select definition_sha256, high_water, source_oid, source_relfilenode, source_updates, source_deletes,
    stats_reset, last_mode, last_full_at, last_run_at
from ops.stage_state
where stage = %(stage)s
