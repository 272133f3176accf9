-- The dashboard's filters over ops.cobranza_missing_scout_top: the candidate examples of the
-- scout KPIs (each group's first ten drivers without a scout). A filter keeps whole groups, so
-- the first ten of the kept rows are the first ten of the MV's rows it keeps.
-- Grain: one row per candidate the filters keep.
-- Inputs: ops.cobranza_missing_scout_top.
-- Rules: queries/filter_conditions.sql (scout_id: these drivers have none, so a scout filter
--   keeps nothing).
select *
from ops.cobranza_missing_scout_top
where {filter_conditions}
