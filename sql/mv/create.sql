-- Builds a materialized view from its SELECT, with its rows.
-- Grain: one MV; <mv> is an identifier and <select> the text of the MV's SELECT file, both
-- composed by the MV machinery.
create materialized view {mv} as
{select}
with data
