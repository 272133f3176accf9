"""What the ops layer is made of: raw sources, the SQL objects built on them, and the MV.

This is data, not behaviour: the Dagster layer turns each entry into an asset; sql_objects.py
and the matview package know how to apply them. Dependencies are declared here and verified against
PostgreSQL's own catalog by a test, so the lineage the UI shows is the one the database has.
"""

from dataclasses import dataclass
from typing import Literal

from cobranza_pipeline.warehouse.matview.spec import DerivedTable, IndexSpec, MaterializedViewSpec


@dataclass(frozen=True)
class RawTable:
    schema: str
    name: str
    description: str

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class SqlObject:
    """A view (or function) of the ops schema defined by one file under sql/ops/."""

    name: str
    deps: tuple[str, ...]  # qualified names of raw tables and other ops objects
    kind: Literal["view", "function"] = "view"
    signature: str = ""  # argument types, for functions: COMMENT ON FUNCTION needs them
    schema: str = "ops"

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def sql_file(self) -> str:
        return f"{self.schema}/{self.name}.sql"


@dataclass(frozen=True)
class StagedTable:
    """A table of the ops schema that the staging step keeps current from the raw tables'
    change (warehouse/staging.py); sql_file is its DDL, deps what it is computed from."""

    name: str
    deps: tuple[str, ...]
    sql_file: str
    description: str
    schema: str = "ops"

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}"


RAW_TABLES = (
    RawTable("public", "drivers", "Driver master; driver_id may repeat (latest updated_at wins)."),
    RawTable("public", "summary_daily", "Daily trips per driver; date_file is text DD-MM-YYYY or YYYY-MM-DD."),
    RawTable("public", "module_ct_cabinet_leads", "Cabinet leads; lead key = coalesce(external_id, id::text)."),
    RawTable("public", "module_ct_scouting_daily", "Scout registrations; also count as cabinet leads."),
    RawTable("public", "module_ct_migrations", "Fleet migrations with the scout that brought the driver."),
    RawTable("public", "module_ct_cabinet_payments", "Yango's payment report; trip_N = paid flag of milestone N."),
    RawTable("public", "module_ct_scouts_list", "Scout dimension."),
    RawTable("canon", "identity_links", "Links every source row to a person_key."),
    RawTable("observational", "lead_ledger", "Attributed scout per person (best evidence)."),
    RawTable("observational", "lead_events", "Lead events; scout in scout_id or payload_json->>'scout_id'."),
)

OPS_OBJECTS = (
    SqlObject("normalize_name", deps=(), kind="function", signature="text"),
    SqlObject("parse_date_file", deps=(), kind="function", signature="text"),
    SqlObject("business_date", deps=(), kind="function", signature="date"),
    SqlObject("v_driver_identity", deps=("public.drivers", "canon.identity_links")),
    SqlObject(
        "v_lead_dates",
        deps=(
            "public.module_ct_cabinet_leads",
            "public.module_ct_scouting_daily",
            "canon.identity_links",
            "ops.v_driver_identity",
            "ops.business_date",
        ),
    ),
    SqlObject("v_milestone_amounts", deps=()),
    SqlObject(
        "v_yango_payments",
        deps=("public.module_ct_cabinet_payments", "ops.v_driver_identity", "ops.normalize_name",
              "ops.stg_normalized_names", "ops.business_date"),
    ),
    SqlObject(
        "v_claims_14d",
        deps=("ops.stg_driver_trips_14d", "ops.v_milestone_amounts", "ops.v_yango_payments"),
    ),
    SqlObject(
        "v_cabinet_financial_14d",
        deps=(
            "ops.stg_driver_trips_14d",
            "ops.v_driver_identity",
            "ops.v_yango_payments",
            "ops.v_milestone_amounts",
        ),
    ),
    SqlObject(
        "v_scout_attribution_raw",
        deps=(
            "observational.lead_ledger",
            "observational.lead_events",
            "public.module_ct_migrations",
            "public.module_ct_scouting_daily",
            "public.module_ct_cabinet_payments",
            "canon.identity_links",
            "ops.business_date",
        ),
    ),
    SqlObject("v_scout_attribution", deps=("ops.v_scout_attribution_raw",)),
    SqlObject("v_scout_attribution_conflicts", deps=("ops.v_scout_attribution_raw", "ops.v_scout_attribution")),
    SqlObject(
        "v_dim_scouts",
        deps=("public.module_ct_scouts_list", "ops.v_scout_attribution_raw", "ops.normalize_name"),
    ),
)


# Built before the views that read it, after the ones it reads (ops.v_lead_dates).
TRIP_STAGE = StagedTable(
    "stg_driver_trips_14d",
    deps=("public.summary_daily", "ops.v_lead_dates", "ops.v_milestone_amounts", "ops.parse_date_file"),
    sql_file="staging/tables.sql",
    description=(
        "The 14-day trip figures of each recruited driver (lead date, trips in the window, the day "
        "each milestone was reached, the first connected day), kept current from the day's new "
        "summary_daily rows instead of recomputed from the park's history; with ops.stg_trip_days "
        "(the winning row of each day of each recruited driver) and ops.stg_unparseable_rows."
    ),
)

NAME_CACHE = StagedTable(
    "stg_normalized_names",
    deps=("ops.v_driver_identity", "ops.normalize_name"),
    sql_file="staging/name_cache_table.sql",
    description=(
        "ops.normalize_name of every driver name the park has had, each computed once: the payments "
        "view matches Yango's unmatched payment rows by normalized name over the whole park, and a "
        "run normalizes only the names it has not seen."
    ),
)

STAGED_TABLES = (NAME_CACHE, TRIP_STAGE)
OPS_BY_NAME = {obj.qualified_name: obj for obj in (*OPS_OBJECTS, *STAGED_TABLES)}


def upstream_sql_files(qualified_names) -> list[str]:
    """Every ops SQL file under the given objects, transitively, in a stable order."""
    seen: dict[str, None] = {}

    def visit(name: str) -> None:
        obj = OPS_BY_NAME.get(name)
        if obj is None or obj.sql_file in seen:
            return
        for dep in obj.deps:
            visit(dep)
        seen[obj.sql_file] = None

    for name in qualified_names:
        visit(name)
    return list(seen)


_COBRANZA_MV_DEPS = (
    "ops.v_cabinet_financial_14d",
    "ops.v_driver_identity",
    "ops.v_scout_attribution",
    "ops.v_scout_attribution_raw",
    "ops.v_dim_scouts",
)

COBRANZA_MV = MaterializedViewSpec(
    schema="ops",
    name="mv_yango_cabinet_cobranza_enriched_14d",
    deps=_COBRANZA_MV_DEPS,
    upstream_files=tuple(upstream_sql_files(_COBRANZA_MV_DEPS)),
    indexes=(
        IndexSpec("idx_mv_cobranza_enriched_driver_id_unique", "(driver_id)", unique=True),
        IndexSpec("idx_mv_cobranza_enriched_week_start", "(week_start desc)"),
        IndexSpec("idx_mv_cobranza_enriched_scout_id", "(scout_id)", where="scout_id is not null"),
        IndexSpec(
            "idx_mv_cobranza_enriched_debt_partial", "(amount_due_yango desc)", where="amount_due_yango > 0"
        ),
        IndexSpec(
            "idx_mv_cobranza_enriched_milestone_flags", "(reached_m1_14d, reached_m5_14d, reached_m25_14d)"
        ),
        IndexSpec(
            "idx_mv_cobranza_enriched_scout_quality",
            "(scout_quality_bucket)",
            where="scout_quality_bucket is not null",
        ),
        IndexSpec("idx_mv_cobranza_enriched_lead_date", "(lead_date desc)"),
        # Beyond the seven the contract fixes: the table's order, so a page reads its rows and
        # no more (with week_start alone, a page sorts the whole latest week by lead_date:
        # 50,000 rows and 130-155 ms at 1,000,000 drivers).
        IndexSpec("idx_mv_cobranza_enriched_page_order", "(week_start desc, lead_date desc nulls last, driver_id)"),
    ),
    summary_sql_file="ops/mv_yango_cabinet_cobranza_enriched_14d_summary.sql",
    # What the dashboard's aggregates read instead of every row (README "Dashboard aggregates"),
    # refilled in this order: the totals are summed from the per-scout summary.
    derived=(
        DerivedTable("cobranza_dashboard_summary", "ops/dashboard_summary_table.sql", "ops/dashboard_summary_fill.sql"),
        DerivedTable("cobranza_dashboard_totals", "ops/dashboard_totals_table.sql", "ops/dashboard_totals_fill.sql"),
        DerivedTable("cobranza_missing_scout_top", "ops/dashboard_missing_table.sql", "ops/dashboard_missing_fill.sql"),
    ),
)

MATERIALIZED_VIEWS = (COBRANZA_MV,)
