"""The validation suite (SPEC section 7): one entry per property, the asset it guards, whether
a failure blocks the run, and what to do when it fails."""

from cobranza_pipeline import check_functions as fn
from cobranza_pipeline.catalog import COBRANZA_MV
from cobranza_pipeline.check_framework import CheckSpec, zero_violations

MV = COBRANZA_MV.qualified_name

CHECKS = (
    CheckSpec(
        "scout_coverage", MV, fn.scout_coverage,
        runbook=(
            "Look at missing_identity (drivers with no 'drivers' identity link: fix canon.identity_links) "
            "and no_source_match (persons with no scout evidence: check lead_ledger/lead_events loads), "
            "then re-run the 'scout attribution changed' refresh. top_missing_with_milestone lists who to chase first."
        ),
    ),
    CheckSpec(
        "week_start_not_null", MV, zero_violations("checks/week_start_null.sql", "rows with NULL week_start"),
        blocking=True,
        runbook="A NULL week_start means a NULL lead_date reached the MV: inspect ops.v_lead_dates for the examples.",
    ),
    CheckSpec(
        "week_start_is_monday_of_lead_date", MV,
        zero_violations("checks/week_start_monday.sql", "rows whose week_start is not the Monday of lead_date"),
        runbook="The MV was built by another definition: check definition_drift and re-materialize the MV.",
    ),
    CheckSpec(
        "weekly_sums_equal_global", MV, fn.weekly_vs_global, blocking=True,
        runbook=(
            "Rows fall out of the weekly totals (NULL week_start) or are counted twice. Run week_start_not_null "
            "and one_row_per_driver; do not publish weekly KPIs until this passes."
        ),
    ),
    CheckSpec(
        "required_indexes", MV, fn.required_indexes,
        runbook="Re-materialize the MV: a missing or invalid index triggers a rebuild that restores every index.",
    ),
    CheckSpec(
        "dashboard_query_latency", MV, fn.query_latency,
        runbook=(
            "Check indexes_used for sequential scans, run ANALYZE on the MV, and required_indexes; if the MV grew, "
            "run `cobranza bench` and read the plans."
        ),
    ),
    CheckSpec(
        "one_row_per_driver", MV, zero_violations("checks/one_row_per_driver.sql", "duplicated driver_ids"),
        blocking=True,
        runbook="Grain broken: a view under the MV lost its distinct-on. Check the upstream grain checks and recent SQL changes.",
    ),
    CheckSpec(
        "scout_integrity", MV,
        zero_violations("checks/scout_integrity.sql", "rows where scout_id, is_scout_resolved and the bucket disagree"),
        runbook="The MV's scout columns are inconsistent: compare the MV SQL with sql/ (definition_drift) and rebuild.",
    ),
    CheckSpec(
        "milestone_monotonicity", MV,
        zero_violations("checks/milestone_monotonicity.sql", "rows where M25 or M5 is reached without the milestone below"),
        runbook="Reached flags must be cumulative: inspect ops.v_cabinet_financial_14d for the examples.",
    ),
    CheckSpec(
        "amount_arithmetic", MV,
        zero_violations("checks/amount_arithmetic.sql", "rows whose amounts do not add up"),
        runbook="Money does not add up: compare ops.v_milestone_amounts with the MV and rebuild the MV.",
    ),
    CheckSpec(
        "mv_freshness", MV, fn.mv_freshness,
        runbook=(
            "The MV was not refreshed successfully in the window: read the last rows of ops.mv_refresh_log for the "
            "error, check the daemon and the 02:00 schedule, then `cobranza materialize`."
        ),
    ),
    CheckSpec(
        "definition_drift", MV, fn.definition_drift,
        runbook="Someone changed a view in the database or the repo changed: re-materialize the daily job to apply sql/.",
    ),
    CheckSpec(
        "one_row_per_person", "ops.v_scout_attribution",
        zero_violations("checks/attribution_one_row_per_person.sql", "persons with more than one canonical scout"),
        blocking=True,
        runbook="The canonical pick lost its distinct-on: check sql/ops/v_scout_attribution.sql and definition_drift.",
    ),
    CheckSpec(
        "one_row_per_driver_milestone", "ops.v_claims_14d",
        zero_violations("checks/claims_one_row_per_driver_milestone.sql", "duplicated (driver, milestone) claims"),
        blocking=True,
        runbook="Claims duplicate: check the grain of ops.v_lead_dates and ops.v_trips_daily for the examples.",
    ),
    CheckSpec(
        "attribution_conflicts", "ops.v_scout_attribution_conflicts",
        zero_violations("checks/attribution_conflicts.sql", "persons whose evidence names more than one scout", "WARN"),
        runbook="Review the examples with the scouting team; the canonical pick stands until the evidence is corrected.",
    ),
    CheckSpec(
        "paid_without_achievement", MV,
        zero_violations("checks/paid_without_achievement.sql", "drivers paid for a milestone the trips do not confirm", "WARN"),
        runbook="Yango paid more than the trip data supports (negative amount_due): raise the examples with Yango or check summary_daily loads.",
    ),
    CheckSpec(
        "unparseable_dates", "ops.v_summary_daily_parsed",
        zero_violations("checks/unparseable_dates.sql", "summary_daily rows with an unparseable date_file", "WARN"),
        runbook="These rows are skipped (their trips do not count): fix the date_file values at the source.",
    ),
)
