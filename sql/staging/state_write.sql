-- Records a finished staging run: its definition hash, the new watermark and the markers,
-- in the same transaction as the staged rows it describes.
-- Grain: one row per stage (upsert).
insert into ops.stage_state (
    stage, definition_sha256, high_water, source_oid, source_relfilenode, source_updates,
    source_deletes, stats_reset, last_mode, last_full_at, last_run_at
)
values (
    %(stage)s, %(definition_sha256)s, %(high_water)s, %(source_oid)s, %(source_relfilenode)s,
    %(source_updates)s, %(source_deletes)s, %(stats_reset)s, %(mode)s,
    case when %(mode)s = 'full' then clock_timestamp() end, clock_timestamp()
)
on conflict (stage) do update set
    definition_sha256 = excluded.definition_sha256,
    high_water = excluded.high_water,
    source_oid = excluded.source_oid,
    source_relfilenode = excluded.source_relfilenode,
    source_updates = excluded.source_updates,
    source_deletes = excluded.source_deletes,
    stats_reset = excluded.stats_reset,
    last_mode = excluded.last_mode,
    last_full_at = coalesce(excluded.last_full_at, ops.stage_state.last_full_at),
    last_run_at = excluded.last_run_at
