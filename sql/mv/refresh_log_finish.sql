-- Closes the ops.mv_refresh_log row of one refresh attempt.
-- Grain: updates the one row with the given id.
update ops.mv_refresh_log
set finished_at = clock_timestamp(),
    status = %(status)s,
    mode = %(mode)s,
    duration_ms = %(duration_ms)s,
    rows_after_refresh = %(rows_after_refresh)s,
    error = %(error)s
where id = %(id)s
