-- Records, on one refresh attempt's ops.mv_refresh_log row, the session that runs it (run on
-- that session), so a later refresh can tell a live attempt from one whose process was killed.
-- Grain: updates the one row with the given id.
update ops.mv_refresh_log
set backend_pid = pg_backend_pid(),
    backend_start = (select backend_start from pg_stat_activity where pid = pg_backend_pid())
where id = %(id)s
