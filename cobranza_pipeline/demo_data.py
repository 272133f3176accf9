"""Deterministic demo/test data for the raw source tables (SPEC section 4).

One person per driver: a lead (cabinet lead and/or scout registration), daily trips around the
lead date, Yango payments for the milestones those trips reach, and scout evidence from one of
five sources. Deliberate defects at `mess_rate` (duplicate driver and trip rows, unparseable
date_file, missing 'drivers' identity links, conflicting scouts, payments the trips do not
confirm) exercise the views' rules. Same DemoConfig, same rows: all randomness comes from one
`random.Random(seed)` consumed in a fixed order, and every date is relative to as_of.
Loaded with COPY in one transaction; summary_daily (the bulk) is generated lazily. The demo
database also gets the recommended raw-table indexes (sql/contract/raw_indexes.sql), which a
production database gets only when an operator runs that file.
"""

import datetime as dt
import random
import unicodedata
import uuid
from dataclasses import dataclass

import psycopg
from psycopg import sql

from cobranza_pipeline.demo_names import GIVEN_NAMES, SURNAMES, APOSTROPHE_SURNAMES, ACQUISITION
from cobranza_pipeline.sqlfiles import read_sql

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


def load_demo_data(url: str, config: DemoConfig = DemoConfig()) -> dict[str, int]:
    """Generate rows and load them with COPY, in one transaction. Returns rows loaded per
    qualified table name, e.g. {"public.drivers": 5050, ...}. Raw tables must already exist
    (sql/contract/raw_tables.sql)."""
    rng = random.Random(config.seed)
    as_of = config.as_of or dt.date.today()
    days = [as_of - dt.timedelta(days=TODAY - i) for i in range(TODAY + 1)]  # days[TODAY] == as_of
    rows, people = _people(rng, config, days)
    payments: list[tuple] = []
    rows["public.summary_daily"] = _trip_rows(rng, config, days, people, payments)
    rows["public.module_ct_cabinet_payments"] = payments  # complete once summary_daily is consumed
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        counts = {table: _copy(cur, table, table_rows) for table, table_rows in rows.items()}
        cur.execute(read_sql("contract/raw_indexes.sql"))  # the recommended raw indexes (README)
    return {table: counts[table] for table in TABLES}


def _copy(cur: psycopg.Cursor, table: str, rows) -> int:
    statement = sql.SQL("copy {} ({}) from stdin").format(
        sql.Identifier(*table.split(".")), sql.SQL(", ").join(map(sql.Identifier, TABLES[table])))
    count = 0
    with cur.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _at(day: dt.date, seconds: int, tz: dt.tzinfo | None = LIMA) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tz) + dt.timedelta(seconds=seconds)


def _name(rng: random.Random) -> tuple[str, str | None, str]:
    """(first, middle or None, 'Paternal Maternal'), sometimes hyphenated or with an apostrophe."""
    first, middle = rng.sample(GIVEN_NAMES[rng.random() < 0.5], 2)
    paternal = rng.choice(APOSTROPHE_SURNAMES) if rng.random() < 0.01 else rng.choice(SURNAMES)
    maternal = rng.choice(SURNAMES) + ("-" + rng.choice(SURNAMES) if rng.random() < 0.03 else "")
    return first, middle if rng.random() < 0.4 else None, paternal + " " + maternal


def _full(first: str, middle: str | None, last: str) -> str:
    return " ".join(part for part in (first, middle, last) if part)


def _paid_name(rng: random.Random, name: str) -> str:
    """How Yango's report spells a driver's name: mostly the same modulo case, accents and word
    order; about 15% a name that does not match (the maternal surname dropped)."""
    r, words = rng.random(), name.split()
    if r < 0.35:
        return name.upper()
    if r < 0.6:
        return "".join(c for c in unicodedata.normalize("NFKD", name.upper()) if not unicodedata.combining(c))
    if r < 0.85 and len(words) > 2:
        return " ".join(words[-2:]) + ", " + " ".join(words[:-2])
    return " ".join(words[:-1]).upper() if len(words) > 2 else name.lower()


def _scout(rng: random.Random, other: int | None = None) -> int:
    scout = UNKNOWN_SCOUT if rng.random() < 0.01 else rng.randint(1, N_SCOUTS)
    return scout if scout != other else scout % N_SCOUTS + 1


def _scouts(rng: random.Random) -> list[tuple]:
    rows = []
    for scout_id in range(1, N_SCOUTS + 1):
        first, _, last = _name(rng)
        name, r = first + " " + last, rng.random()
        raw = None if r < 0.12 else ("  " + name.upper() + " " if r < 0.3 else name)
        active = None if scout_id % 23 == 0 else scout_id % 11 != 0
        rows.append((scout_id, raw, None if r < 0.05 or r > 0.5 else name, active))
    return rows


def _people(rng: random.Random, cfg: DemoConfig, days: list[dt.date]):
    """Every table but summary_daily and payments, plus what the trip pass needs per person:
    (driver_id, display name, lead day index, scout for a payment-evidence row or None)."""
    rows: dict[str, list] = {t: [] for t in TABLES if t not in ("public.summary_daily",
                                                                "public.module_ct_cabinet_payments")}
    rows["public.module_ct_scouts_list"] = _scouts(rng)
    drivers, leads, links = rows["public.drivers"], rows["public.module_ct_cabinet_leads"], \
        rows["canon.identity_links"]
    people, as_of = [], days[TODAY]
    for _ in range(cfg.drivers):
        person = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        driver_id, lead_index = "%032x" % rng.getrandbits(128), PRE + rng.randrange(LEAD_DAYS)
        lead, clock = days[lead_index], rng.randrange(6 * 3600, 23 * 3600)
        first, middle, last = _name(rng)
        name, r = _full(first, middle, last), rng.random()
        if r < 0.005:
            drivers.append((driver_id, None, None, None, None, _at(lead, clock)))
            name = "N/A"
        else:
            drivers.append((driver_id, None if r < 0.105 else name, first, middle, last, _at(lead, clock)))
        if rng.random() < cfg.mess_rate:  # stale duplicate row: older updated_at, another name
            stale = _at(lead, -rng.randrange(1, 400) * 86400)
            drivers.append((driver_id, _full(*_name(rng)), None, None, None, stale))
        if rng.random() >= cfg.mess_rate:  # the mess: no 'drivers' identity link
            links.append((person, "drivers", driver_id, _at(lead, clock + 60)))
        r, lead_key, registration = rng.random(), None, None
        if r >= 0.15:  # cabinet lead
            lead_id = len(leads) + 1
            external = None if rng.random() < 0.05 else "L%d" % (1000000 + lead_id)
            lead_key, created = external or str(lead_id), _at(lead, clock - rng.randrange(60, 10800), None)
            leads.append((lead_id, external, first, middle, last, "9%08d" % rng.randrange(10 ** 8), created,
                          created + dt.timedelta(seconds=rng.randrange(5, 900))))
            links.append((person, "module_ct_cabinet_leads", lead_key, _at(lead, clock)))
        if r < 0.25:  # scout registration: the only lead, or a few days after the cabinet lead
            day = lead if r < 0.15 else min(lead + dt.timedelta(days=rng.randint(1, 5)), as_of)
            registration = _registration(rng, rows, person, name, day)
        pay_scout = None
        if rng.random() < cfg.scout_coverage:
            source, scout = rng.choices(SOURCES, SOURCE_WEIGHTS)[0], _scout(rng)
            evidence = [(source, scout)]
            if rng.random() < 2 * cfg.mess_rate:  # conflicting evidence from another source
                evidence.append((rng.choice([s for s in SOURCES if s != source]), _scout(rng, scout)))
            for source, scout in evidence:
                if source == "payments":
                    pay_scout = scout
                else:
                    later = min(lead + dt.timedelta(days=rng.randrange(6)), as_of)
                    registration = _evidence(rng, rows, source, scout, (person, driver_id, name),
                                             (lead, later), lead_key, registration)
        people.append((driver_id, name, lead_index, pay_scout))
    return rows, people


def _registration(rng, rows, person, name, day, scout=None) -> list:
    table = rows["public.module_ct_scouting_daily"]
    created = _at(day, rng.randrange(8 * 3600, 20 * 3600), None)
    row = [len(table) + 1, day, scout, "Q%08d" % rng.randrange(10 ** 8), name,
           "9%08d" % rng.randrange(10 ** 8), rng.choice(ACQUISITION), created]
    table.append(row)  # a list: scout evidence may name the scout on it later
    rows["canon.identity_links"].append((person, "module_ct_scouting_daily", str(row[0]), _at(day, 75600)))
    return row


def _evidence(rng, rows, source, scout, who, when, lead_key, registration):
    """One scout evidence row; returns the person's (possibly new) scout registration row."""
    (person, driver_id, name), (lead, later) = who, when
    stamp = _at(later, rng.randrange(8 * 3600, 22 * 3600))
    if source == "ledger":
        rows["observational.lead_ledger"].append((person, scout, stamp))
    elif source == "events":
        if lead_key is None:  # a scouting-only person: the event points at the registration
            target, key, key_person = "module_ct_scouting_daily", str(registration[0]), person
        else:  # person_key NULL for some: resolvable through the lead's identity link
            target, key = "module_ct_cabinet_leads", lead_key
            key_person = None if rng.random() < 0.3 else person
        payload = '{"scout_id": "%d"}' % scout if rng.random() < 0.5 else None
        rows["observational.lead_events"].append(
            (target, key, lead, key_person, None if payload else scout, payload, stamp))
    elif source == "migrations":
        table = rows["public.module_ct_migrations"]
        table.append((len(table) + 1, driver_id, scout, later, stamp.replace(tzinfo=None)))
        rows["canon.identity_links"].append((person, "module_ct_migrations", str(len(table)), stamp))
    elif registration is not None and registration[2] is None:  # scouting: name the scout on it
        registration[2] = scout
    else:
        return _registration(rng, rows, person, name, later, scout)
    return registration


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """A uniformly random composition of total into parts non-negative integers (stars and bars)."""
    bars = [-1, *sorted(rng.sample(range(total + parts - 1), parts - 1)), total + parts - 1]
    return [bar - previous - 1 for previous, bar in zip(bars, bars[1:])]


def _trip_rows(rng: random.Random, cfg: DemoConfig, days: list[dt.date], people, payments: list):
    """summary_daily rows, lazily; appends the Yango payment rows to `payments` on the way."""
    date_file = [d.strftime("%Y-%m-%d" if rng.random() < 0.2 else "%d-%m-%Y") for d in days]  # per file
    loaded = [_at(d, 86400 + 6 * 3600) for d in days]  # the next morning's load
    loaded_earlier = [_at(d, 86400 + 2 * 3600) for d in days]
    junk_rate, dup_rate, random_ = cfg.mess_rate / 10, cfg.mess_rate, rng.random
    for driver_id, name, lead, pay_scout in people:
        r = random_()
        low, high, share = next((lo, hi, s) for cumulative, (lo, hi), s in TRIP_PROFILES if r < cumulative)
        if low and random_() < 0.15:
            total = rng.choice([t for t in NEAR_THRESHOLDS if low <= t <= high])
        else:
            total = rng.randint(low, high)
            share = 0.0 if not low and random_() < 0.5 else share  # half of them never show up
        window_end, stop = min(lead + WINDOW, TODAY), min(lead + POST + 1, TODAY)
        total = total * (window_end - lead) // WINDOW  # a recent lead has had fewer days
        active = [d for d in range(lead, window_end) if random_() < share]
        if total and not active:
            active = [lead + rng.randrange(window_end - lead)]
        plan = [(d, rng.randrange(3)) for d in range(lead - PRE, lead) if random_() < share / 2]
        reached, running = [], 0
        for d, trips in zip(active, _split(rng, total, len(active)) if active else ()):
            plan.append((d, trips))
            running += trips
            while len(reached) < 3 and running >= MILESTONES[len(reached)]:
                reached.append(d)
        per_day = 2 * total // max(len(active), 1) + 3
        plan += [(d, rng.randrange(per_day)) for d in range(window_end, stop) if random_() < share]
        for d, trips in plan:  # connected = work time > 0; some no-trip days are not connected
            seconds = trips * 900 + rng.randrange(1, 3600) if trips else (
                0 if random_() < 0.25 else rng.randrange(600, 7200))
            r = random_()
            if r < junk_rate:
                yield driver_id, rng.choice(BAD_DATES), trips, seconds, loaded[d]
            elif r < junk_rate + dup_rate:  # an earlier load of the same day, since corrected
                yield driver_id, date_file[d], trips + rng.randint(1, 3), seconds + 900, loaded_earlier[d]
            yield driver_id, date_file[d], trips, seconds, loaded[d]
        _payments(rng, cfg, days, payments, (driver_id, name, lead), reached, pay_scout)


def _payments(rng, cfg, days, payments, driver, reached, pay_scout) -> None:
    """Yango's report for one driver: reached milestones paid (some reported unpaid), by
    driver_id or by name; a payment-evidence row; at mess_rate a milestone trips do not confirm."""
    driver_id, name, lead = driver

    def pay(day: int, name_, driver_id_, scout, flags) -> None:
        stamp = _at(days[day], rng.randrange(9 * 3600, 19 * 3600), None)
        payments.append((len(payments) + 1, days[day], name_, driver_id_, scout, *flags, stamp))

    if reached and rng.random() < 0.6:
        pay_day = reached[-1] + rng.randint(3, 30)
        if pay_day <= TODAY:
            flags = [rng.random() >= 0.1 for _ in reached] + [None] * (3 - len(reached))
            if name != "N/A" and rng.random() < 0.17:
                pay(pay_day, _paid_name(rng, name), None, None, flags)
            else:
                pay(pay_day, name, driver_id, pay_scout, flags)
                pay_scout = None
    if pay_scout is not None:  # scout evidence on a row that reports no milestone
        pay(min(lead + rng.randint(1, 20), TODAY), name, driver_id, pay_scout, (None, None, None))
    if len(reached) < 3 and rng.random() < cfg.mess_rate:  # paid without achievement
        flags = [None, None, None]
        flags[len(reached)] = True
        pay(min(lead + rng.randint(15, 40), TODAY), name, driver_id, None, flags)
