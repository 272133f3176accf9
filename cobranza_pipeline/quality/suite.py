"""The validation suite (docs/checks.md): one entry per property, the asset it guards and
whether a failure blocks the run (the MV is wrong). What each one measures and what to do when
it fails are written beside its rule: in its SQL file's header or its function's docstring."""

from cobranza_pipeline.quality import measures
from cobranza_pipeline.quality.framework import CheckSpec, zero_violations
from cobranza_pipeline.quality.latency import query_latency
from cobranza_pipeline.quality.reconciliation import stage_reconciliation
from cobranza_pipeline.warehouse.catalog import COBRANZA_MV, TRIP_STAGE

MV = COBRANZA_MV.qualified_name
STAGE = TRIP_STAGE.qualified_name

CHECKS = (
    CheckSpec("scout_coverage", MV, measures.scout_coverage),
    CheckSpec("week_start_not_null", MV, zero_violations("checks/week_start_null.sql"), blocking=True),
    CheckSpec("week_start_is_monday_of_lead_date", MV, zero_violations("checks/week_start_monday.sql")),
    CheckSpec("weekly_sums_equal_global", MV, measures.weekly_vs_global, blocking=True),
    CheckSpec("required_indexes", MV, measures.required_indexes),
    CheckSpec("dashboard_query_latency", MV, query_latency),
    CheckSpec("one_row_per_driver", MV, zero_violations("checks/one_row_per_driver.sql"), blocking=True),
    CheckSpec("scout_integrity", MV, zero_violations("checks/scout_integrity.sql")),
    CheckSpec("milestone_monotonicity", MV, zero_violations("checks/milestone_monotonicity.sql")),
    CheckSpec("amount_arithmetic", MV, zero_violations("checks/amount_arithmetic.sql")),
    CheckSpec("mv_freshness", MV, measures.mv_freshness),
    CheckSpec("definition_drift", MV, measures.definition_drift),
    CheckSpec("one_row_per_person", "ops.v_scout_attribution",
              zero_violations("checks/attribution_one_row_per_person.sql"), blocking=True),
    CheckSpec("one_row_per_driver_milestone", "ops.v_claims_14d",
              zero_violations("checks/claims_one_row_per_driver_milestone.sql"), blocking=True),
    CheckSpec("attribution_conflicts", "ops.v_scout_attribution_conflicts",
              zero_violations("checks/attribution_conflicts.sql", "WARN")),
    CheckSpec("paid_without_achievement", MV, zero_violations("checks/paid_without_achievement.sql", "WARN")),
    CheckSpec("stage_matches_full_recomputation", STAGE, stage_reconciliation, blocking=True),
    CheckSpec("unparseable_dates", STAGE, zero_violations("checks/unparseable_dates.sql", "WARN")),
    CheckSpec("out_of_range_dates", "ops.v_lead_dates", zero_violations("checks/out_of_range_dates.sql", "WARN")),
    CheckSpec("future_lead_dates", "ops.v_lead_dates", zero_violations("checks/future_lead_dates.sql", "WARN")),
    CheckSpec("driver_linked_to_two_persons", "ops.v_lead_dates",
              zero_violations("checks/driver_linked_to_two_persons.sql", "WARN")),
)
