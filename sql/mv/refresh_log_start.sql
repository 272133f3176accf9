-- Opens the ops.mv_refresh_log row of one refresh attempt.
-- Grain: inserts one row; returns its id.
insert into ops.mv_refresh_log (mv_name, run_id, attempt)
values (%(mv_name)s, %(run_id)s, %(attempt)s)
returning id
