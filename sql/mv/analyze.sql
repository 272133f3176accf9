-- Fresh planner statistics after a refresh, so the dashboard's plans see today's rows.
-- Grain: one relation; <mv> is an identifier.
analyze {mv}
