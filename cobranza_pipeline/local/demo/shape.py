"""The demo data's shape: which tables it fills, how its dates are laid out, and its knobs."""

import datetime as dt
from dataclasses import dataclass

TABLES = {  # qualified name -> columns written, in load order
    name: tuple(columns.split()) for name, columns in (
        ("public.module_ct_scouts_list", "scout_id raw_name name is_active"),
        ("public.drivers", "driver_id full_name first_name middle_name last_name updated_at"),
        ("public.module_ct_cabinet_leads",
         "id external_id first_name middle_name last_name park_phone lead_created_at created_at"),
        ("public.module_ct_scouting_daily", "id registration_date scout_id driver_license driver_name "
                                            "driver_phone acquisition_method created_at"),
        ("public.module_ct_migrations", "id driver_id scout_id hire_date created_at"),
        ("canon.identity_links", "person_key source_table source_pk linked_at"),
        ("observational.lead_ledger", "person_key attributed_scout_id updated_at"),
        ("observational.lead_events",
         "source_table source_pk event_date person_key scout_id payload_json created_at"),
        ("public.summary_daily",
         "driver_id date_file count_orders_completed sum_work_time_seconds created_at"),
        ("public.module_ct_cabinet_payments",
         "id date driver driver_id scout_id trip_1 trip_5 trip_25 created_at"))}
LIMA = dt.timezone(dt.timedelta(hours=-5))
LEAD_DAYS, PRE, POST, WINDOW = 140, 3, 20, 14  # lead dates span; trip days lead-3 .. lead+20
TODAY = LEAD_DAYS - 1 + PRE  # day index of as_of; trips are reported up to the day before
MILESTONES, N_SCOUTS, UNKNOWN_SCOUT = (1, 5, 25), 60, 999
SOURCES, SOURCE_WEIGHTS = ("ledger", "events", "migrations", "scouting", "payments"), (50, 15, 10, 15, 10)
# 14-day trip totals: (cumulative share, range, share of days worked); some right at the thresholds.
TRIP_PROFILES = ((0.20, (0, 0), 0.4), (0.40, (1, 4), 0.75), (0.65, (5, 24), 0.9), (1.0, (25, 140), 0.97))
NEAR_THRESHOLDS = (1, 4, 5, 6, 23, 24, 25, 26)
BAD_DATES = ("31-02-2026", "N/A", "", "2026-13-01", "32/01/2026", "ayer")


@dataclass(frozen=True)
class DemoConfig:
    drivers: int = 5000
    seed: int = 42
    scout_coverage: float = 0.92  # share of persons with at least one scout evidence row
    as_of: dt.date | None = None  # lead dates spread over the ~20 weeks ending here; None = today
    mess_rate: float = 0.01  # rate of the deliberate defects
    # Production's shape (docs/production-shape.md): the park's other drivers, never recruited,
    # with a summary_daily row for each day they work over the history_days ending at as_of.
    park_drivers: int = 0
    history_days: int = 180
    park_work_pct: int = 60


def at(day: dt.date, seconds: int, tz: dt.tzinfo | None = LIMA) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tz) + dt.timedelta(seconds=seconds)
