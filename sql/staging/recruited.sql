-- The recruited drivers now and their lead dates (ops.v_lead_dates: cheap, leads and their
-- identity links only), for this staging run.
-- Grain: one row per driver_id with a lead date; a temporary table dropped at commit.
create temporary table stage_recruited on commit drop as
select driver_id, lead_date
from ops.v_lead_dates;

alter table stage_recruited add primary key (driver_id);

analyze stage_recruited;
