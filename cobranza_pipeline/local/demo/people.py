"""The demo's people: scouts, drivers, leads, registrations, identity links and scout
evidence, one person per driver (generate.py has the whole picture)."""

import datetime as dt
import random
import unicodedata
import uuid

from cobranza_pipeline.local.demo.names import ACQUISITION, APOSTROPHE_SURNAMES, GIVEN_NAMES, SURNAMES
from cobranza_pipeline.local.demo.shape import (
    LEAD_DAYS,
    N_SCOUTS,
    PRE,
    SOURCE_WEIGHTS,
    SOURCES,
    TABLES,
    TODAY,
    UNKNOWN_SCOUT,
    DemoConfig,
    at,
)
from cobranza_pipeline.local.demo.spool import RowSpool


def person_name(rng: random.Random) -> tuple[str, str | None, str]:
    """(first, middle or None, 'Paternal Maternal'), sometimes hyphenated or with an apostrophe."""
    first, middle = rng.sample(GIVEN_NAMES[rng.random() < 0.5], 2)
    paternal = rng.choice(APOSTROPHE_SURNAMES) if rng.random() < 0.01 else rng.choice(SURNAMES)
    maternal = rng.choice(SURNAMES) + ("-" + rng.choice(SURNAMES) if rng.random() < 0.03 else "")
    return first, middle if rng.random() < 0.4 else None, paternal + " " + maternal


def full_name(first: str, middle: str | None, last: str) -> str:
    return " ".join(part for part in (first, middle, last) if part)


def paid_name(rng: random.Random, name: str) -> str:
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


def pick_scout(rng: random.Random, other: int | None = None) -> int:
    scout = UNKNOWN_SCOUT if rng.random() < 0.01 else rng.randint(1, N_SCOUTS)
    return scout if scout != other else scout % N_SCOUTS + 1


def scouts_list(rng: random.Random) -> list[tuple]:
    rows = []
    for scout_id in range(1, N_SCOUTS + 1):
        first, _, last = person_name(rng)
        name, r = first + " " + last, rng.random()
        raw = None if r < 0.12 else ("  " + name.upper() + " " if r < 0.3 else name)
        active = None if scout_id % 23 == 0 else scout_id % 11 != 0
        rows.append((scout_id, raw, None if r < 0.05 or r > 0.5 else name, active))
    return rows


def people_rows(rng: random.Random, cfg: DemoConfig, days: list[dt.date]):
    """Every table but summary_daily and payments, plus what the trip pass needs per person:
    (driver_id, display name, lead day index, scout for a payment-evidence row or None)."""
    rows: dict[str, RowSpool] = {t: RowSpool() for t in TABLES if t not in ("public.summary_daily",
                                                                          "public.module_ct_cabinet_payments")}
    rows["public.module_ct_scouts_list"] = RowSpool(scouts_list(rng))
    drivers, leads, links = rows["public.drivers"], rows["public.module_ct_cabinet_leads"], \
        rows["canon.identity_links"]
    people, as_of = RowSpool(), days[TODAY]
    for _ in range(cfg.drivers):
        person = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        driver_id, lead_index = "%032x" % rng.getrandbits(128), PRE + rng.randrange(LEAD_DAYS)
        lead, clock = days[lead_index], rng.randrange(6 * 3600, 23 * 3600)
        first, middle, last = person_name(rng)
        name, r = full_name(first, middle, last), rng.random()
        if r < 0.005:
            drivers.append((driver_id, None, None, None, None, at(lead, clock)))
            name = "N/A"
        else:
            drivers.append((driver_id, None if r < 0.105 else name, first, middle, last, at(lead, clock)))
        if rng.random() < cfg.mess_rate:  # stale duplicate row: older updated_at, another name
            stale = at(lead, -rng.randrange(1, 400) * 86400)
            drivers.append((driver_id, full_name(*person_name(rng)), None, None, None, stale))
        if rng.random() >= cfg.mess_rate:  # the mess: no 'drivers' identity link
            links.append((person, "drivers", driver_id, at(lead, clock + 60)))
        r, lead_key, registration = rng.random(), None, None
        if r >= 0.15:  # cabinet lead
            lead_id = len(leads) + 1
            external = None if rng.random() < 0.05 else "L%d" % (1000000 + lead_id)
            lead_key, created = external or str(lead_id), at(lead, clock - rng.randrange(60, 10800), None)
            leads.append((lead_id, external, first, middle, last, "9%08d" % rng.randrange(10 ** 8), created,
                          created + dt.timedelta(seconds=rng.randrange(5, 900))))
            links.append((person, "module_ct_cabinet_leads", lead_key, at(lead, clock)))
        if r < 0.25:  # scout registration: the only lead, or a few days after the cabinet lead
            day = lead if r < 0.15 else min(lead + dt.timedelta(days=rng.randint(1, 5)), as_of)
            registration = _registration(rng, rows, person, name, day)
        pay_scout = None
        if rng.random() < cfg.scout_coverage:
            source, scout = rng.choices(SOURCES, SOURCE_WEIGHTS)[0], pick_scout(rng)
            evidence = [(source, scout)]
            if rng.random() < 2 * cfg.mess_rate:  # conflicting evidence from another source
                evidence.append((rng.choice([s for s in SOURCES if s != source]), pick_scout(rng, scout)))
            for source, scout in evidence:
                if source == "payments":
                    pay_scout = scout
                else:
                    later = min(lead + dt.timedelta(days=rng.randrange(6)), as_of)
                    registration = _evidence(rng, rows, source, scout, (person, driver_id, name),
                                             (lead, later), lead_key, registration)
        people.append((driver_id, name, lead_index, pay_scout))
        for spool in (*rows.values(), people):  # this person's rows are final
            spool.checkpoint()
    return rows, people


def _registration(rng, rows, person, name, day, scout=None) -> list:
    table = rows["public.module_ct_scouting_daily"]
    created = at(day, rng.randrange(8 * 3600, 20 * 3600), None)
    row = [len(table) + 1, day, scout, "Q%08d" % rng.randrange(10 ** 8), name,
           "9%08d" % rng.randrange(10 ** 8), rng.choice(ACQUISITION), created]
    table.append(row)  # a list: scout evidence may name the scout on it later
    rows["canon.identity_links"].append((person, "module_ct_scouting_daily", str(row[0]), at(day, 75600)))
    return row


def _evidence(rng, rows, source, scout, who, when, lead_key, registration):
    """One scout evidence row; returns the person's (possibly new) scout registration row."""
    (person, driver_id, name), (lead, later) = who, when
    stamp = at(later, rng.randrange(8 * 3600, 22 * 3600))
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
