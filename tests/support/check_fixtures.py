"""Builders for the validation-suite tests: a small hand-made fleet, scout evidence, running
one check, and ways to tamper with what a check reads (the MV or an upstream view)."""

from datetime import date, datetime, timezone
from decimal import Decimal

from psycopg import sql

from cobranza_pipeline.quality.suite import CHECKS
from cobranza_pipeline.settings import Thresholds
from tests.support.builders import MV, add_lead_driver, add_payment, add_trips, link
from tests.support.fixtures import build_all, compose, insert_rows

CHECK_NAMES = [spec.name for spec in CHECKS]
BLOCKING = {"week_start_not_null", "weekly_sums_equal_global", "one_row_per_driver", "one_row_per_person",
            "one_row_per_driver_milestone", "stage_matches_full_recomputation"}

WEEK1, WEEK2 = date(2026, 3, 2), date(2026, 3, 9)  # Mondays
LEAD1, LEAD2 = date(2026, 3, 4), date(2026, 3, 12)  # a Wednesday of WEEK1, a Thursday of WEEK2
DRIVERS = [f"D{i:02d}" for i in range(1, 11)]

# driver -> (lead date, trips on the day after the lead, milestones Yango reports paid)
# Amounts: M1 25.00, M5 35.00, M25 100.00 (ops.v_milestone_amounts); due = expected - paid.
FLEET = {
    "D01": (LEAD1, 30, (1,)),     # 160.00 expected - 25.00 paid = 135.00
    "D02": (LEAD1, 6, ()),        #  60.00
    "D03": (LEAD1, 1, ()),        #  25.00
    "D04": (LEAD1, 0, ()),        #   0.00
    "D05": (LEAD1, 0, ()),        #   0.00
    "D06": (LEAD2, 30, (1, 5)),   # 160.00 - 60.00 = 100.00
    "D07": (LEAD2, 5, ()),        #  60.00
    "D08": (LEAD2, 2, ()),        #  25.00
    "D09": (LEAD2, 0, ()),        #   0.00
    "D10": (LEAD2, 0, ()),        #   0.00
}
TOTAL_DUE = Decimal("405.00")     # 135 + 60 + 25 + 100 + 60 + 25
DRIVERS_WITH_DEBT = 6             # D01 D02 D03 D06 D07 D08
DUE = {"D01": Decimal("135.00"), "D02": Decimal("60.00"), "D03": Decimal("25.00"), "D06": Decimal("100.00"),
       "D07": Decimal("60.00"), "D08": Decimal("25.00")}


def utc(y, m, d, h=12):
    return datetime(y, m, d, h, tzinfo=timezone.utc)


T_UTC = utc(2026, 3, 3)


def add_ledger(conn, person, scout_id, updated_at=None):
    insert_rows(conn, "observational.lead_ledger", [
        {"person_key": person, "attributed_scout_id": scout_id, "updated_at": updated_at or utc(2026, 3, 3)}])


def add_migration(conn, migration_id, driver_id, scout_id, person, hire_date=date(2026, 3, 5)):
    insert_rows(conn, "public.module_ct_migrations", [{
        "id": migration_id, "driver_id": driver_id, "scout_id": scout_id, "hire_date": hire_date,
        "created_at": datetime.combine(hire_date, datetime.min.time())}])
    link(conn, "module_ct_migrations", migration_id, person)


def add_fleet(conn, scouted=DRIVERS, scout_of=lambda driver_id: 100 + int(driver_id[1:])) -> dict:
    """The 10 drivers of FLEET; those in `scouted` get a ledger scout (D01 -> 101, ...).
    Returns driver_id -> person_key."""
    persons = {}
    payment_ids = iter(range(1, 100))
    for driver_id, (lead_date, trips, paid) in FLEET.items():
        persons[driver_id] = add_lead_driver(conn, driver_id, lead_date)
        if trips:
            add_trips(conn, driver_id, {date.fromordinal(lead_date.toordinal() + 1): trips})
        for milestone in paid:
            add_payment(conn, next(payment_ids), driver_id=driver_id, **{f"trip_{milestone}": True})
        if driver_id in scouted:
            add_ledger(conn, persons[driver_id], scout_of(driver_id))
    return persons


def built_fleet(conn, db_url, scouted=DRIVERS) -> dict:
    persons = add_fleet(conn, scouted)
    build_all(conn, db_url)
    return persons


def spec_of(name: str):
    return next(spec for spec in CHECKS if spec.name == name)


def run_check(conn, name: str, thresholds: Thresholds | None = None):
    return spec_of(name).run(conn, thresholds or Thresholds())


def unscouted(*missing: str) -> list[str]:
    """The fleet's drivers with scout evidence, all but `missing`."""
    return [d for d in DRIVERS if d not in missing]


def outcome_tuple(outcome) -> tuple:
    """The four fields most assertions compare: passed, severity, measured value, threshold."""
    return outcome.passed, outcome.severity, outcome.value, outcome.threshold


def detach_mv(conn) -> None:
    """Swap the built MV for a plain table copy of its rows, so a test can write defects the
    MV's SQL cannot produce. The MV itself stays, renamed ops.mv_saved."""
    conn.execute(compose("alter materialized view {mv} rename to mv_saved", mv=MV))
    conn.execute(compose("create table {mv} as select * from ops.mv_saved", mv=MV))


def duplicate_view_rows(conn, view: str, where: str) -> None:
    """Replace `view` (by name) with a view repeating the rows matching `where`. The original
    is renamed <view>_orig, so objects built on it keep working."""
    schema, name = view.split(".")
    conn.execute(compose("alter view {view} rename to {orig}", view=view, orig=sql.Identifier(name + "_orig")))
    conn.execute(compose(
        "create view {view} as select * from {orig} union all select * from {orig} where {where}",
        view=view, orig=f"{schema}.{name}_orig", where=sql.SQL(where),
    ))
