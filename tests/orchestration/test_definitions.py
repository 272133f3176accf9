"""The code location loads, and its graph is the one the database has."""

from dagster import AssetKey, Definitions

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME
from cobranza_pipeline.warehouse.catalog import COBRANZA_MV, OPS_OBJECTS
from tests.support.fixtures import build_all

RAW = [
    "canon/identity_links", "observational/lead_events", "observational/lead_ledger", "public/drivers",
    "public/module_ct_cabinet_leads", "public/module_ct_cabinet_payments", "public/module_ct_migrations",
    "public/module_ct_scouting_daily", "public/module_ct_scouts_list", "public/summary_daily",
]
OPS = [
    "ops/business_date", "ops/normalize_name", "ops/parse_date_file", "ops/stg_driver_trips_14d", "ops/stg_normalized_names",
    "ops/v_cabinet_financial_14d", "ops/v_claims_14d", "ops/v_dim_scouts", "ops/v_driver_identity", "ops/v_lead_dates",
    "ops/v_milestone_amounts", "ops/v_scout_attribution", "ops/v_scout_attribution_conflicts",
    "ops/v_scout_attribution_raw", "ops/v_yango_payments",
]
MV = "ops/mv_yango_cabinet_cobranza_enriched_14d"
REPORT = "ops/validation_report"


def keys(names):
    return {AssetKey.from_user_string(name) for name in names}


def test_definitions_load():
    Definitions.validate_loadable(defs)


def test_asset_keys_and_dependencies():
    graph = defs.resolve_asset_graph()
    assert graph.get_all_asset_keys() == keys(RAW + OPS + [MV, REPORT])
    assert graph.get(AssetKey.from_user_string(REPORT)).parent_keys == keys([MV])
    assert graph.get(AssetKey.from_user_string(MV)).parent_keys == keys([
        "ops/v_cabinet_financial_14d", "ops/v_driver_identity", "ops/v_scout_attribution",
        "ops/v_scout_attribution_raw", "ops/v_dim_scouts",
    ])
    assert graph.get(AssetKey.from_user_string("ops/stg_driver_trips_14d")).parent_keys == keys([
        "public/summary_daily", "ops/v_lead_dates", "ops/v_milestone_amounts", "ops/parse_date_file"])
    assert graph.get(AssetKey.from_user_string("ops/v_driver_identity")).parent_keys == keys(
        ["public/drivers", "canon/identity_links"]
    )
    assert graph.get(AssetKey.from_user_string("ops/v_claims_14d")).parent_keys == keys([
        "ops/stg_driver_trips_14d", "ops/v_milestone_amounts", "ops/v_yango_payments",
    ])
    # Raw tables are external: shown for lineage, never materialized by the pipeline.
    assert not any(graph.get(key).is_materializable for key in keys(RAW))


def test_daily_job_selects_every_view_and_the_mv():
    job = defs.resolve_job_def(DAILY_JOB_NAME)
    assert job.asset_layer.selected_asset_keys == keys(OPS + [MV, REPORT])


# Relations and ops functions each view's stored query references, as PostgreSQL records them.
DEPENDENCIES_IN_DATABASE = """
select distinct ref_ns.nspname || '.' || ref.relname
from pg_rewrite as r
join pg_depend as d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid and d.refclassid = 'pg_class'::regclass
join pg_class as ref on ref.oid = d.refobjid
join pg_namespace as ref_ns on ref_ns.oid = ref.relnamespace
where r.ev_class = to_regclass(%(name)s) and ref.oid <> r.ev_class
union
select distinct p_ns.nspname || '.' || p.proname
from pg_rewrite as r
join pg_depend as d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid and d.refclassid = 'pg_proc'::regclass
join pg_proc as p on p.oid = d.refobjid
join pg_namespace as p_ns on p_ns.oid = p.pronamespace
where r.ev_class = to_regclass(%(name)s) and p_ns.nspname = 'ops'
"""


def test_declared_dependencies_match_the_database(conn, db_url):
    build_all(conn, db_url)
    for obj in [*OPS_OBJECTS, COBRANZA_MV]:
        if getattr(obj, "kind", "view") != "view":
            continue
        actual = {row[0] for row in conn.execute(DEPENDENCIES_IN_DATABASE, {"name": obj.qualified_name})}
        assert actual == set(obj.deps), obj.qualified_name


def test_the_mv_has_the_seven_indexes_of_the_spec_and_the_table_order(conn, db_url):
    build_all(conn, db_url)
    rows = conn.execute(
        "select indexname, indexdef from pg_indexes"
        " where schemaname = 'ops' and tablename = 'mv_yango_cabinet_cobranza_enriched_14d'"
    ).fetchall()
    mv = "ops.mv_yango_cabinet_cobranza_enriched_14d USING btree"
    assert dict(rows) == {
        "idx_mv_cobranza_enriched_driver_id_unique":
            f"CREATE UNIQUE INDEX idx_mv_cobranza_enriched_driver_id_unique ON {mv} (driver_id)",
        "idx_mv_cobranza_enriched_week_start":
            f"CREATE INDEX idx_mv_cobranza_enriched_week_start ON {mv} (week_start DESC)",
        "idx_mv_cobranza_enriched_scout_id":
            f"CREATE INDEX idx_mv_cobranza_enriched_scout_id ON {mv} (scout_id) WHERE (scout_id IS NOT NULL)",
        "idx_mv_cobranza_enriched_debt_partial":
            f"CREATE INDEX idx_mv_cobranza_enriched_debt_partial ON {mv} (amount_due_yango DESC)"
            " WHERE (amount_due_yango > (0)::numeric)",
        "idx_mv_cobranza_enriched_milestone_flags":
            f"CREATE INDEX idx_mv_cobranza_enriched_milestone_flags ON {mv} (reached_m1_14d, reached_m5_14d, reached_m25_14d)",
        "idx_mv_cobranza_enriched_scout_quality":
            f"CREATE INDEX idx_mv_cobranza_enriched_scout_quality ON {mv} (scout_quality_bucket)"
            " WHERE (scout_quality_bucket IS NOT NULL)",
        "idx_mv_cobranza_enriched_lead_date":
            f"CREATE INDEX idx_mv_cobranza_enriched_lead_date ON {mv} (lead_date DESC)",
        "idx_mv_cobranza_enriched_page_order":
            f"CREATE INDEX idx_mv_cobranza_enriched_page_order ON {mv} (week_start DESC, lead_date DESC NULLS LAST,"
            " driver_id)",
    }
