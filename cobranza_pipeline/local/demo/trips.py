"""The demo's daily trips (summary_daily) and Yango's payment report for the milestones
those trips reach."""

import datetime as dt
import random

from cobranza_pipeline.local.demo.people import paid_name
from cobranza_pipeline.local.demo.shape import (
    BAD_DATES,
    MILESTONES,
    NEAR_THRESHOLDS,
    POST,
    PRE,
    TODAY,
    TRIP_PROFILES,
    WINDOW,
    DemoConfig,
    at,
)
from cobranza_pipeline.local.demo.spool import RowSpool


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """A uniformly random composition of total into parts non-negative integers (stars and bars)."""
    bars = [-1, *sorted(rng.sample(range(total + parts - 1), parts - 1)), total + parts - 1]
    return [bar - previous - 1 for previous, bar in zip(bars, bars[1:])]


def trip_rows(rng: random.Random, cfg: DemoConfig, days: list[dt.date], people, payments: RowSpool):
    """summary_daily rows, lazily; appends the Yango payment rows to `payments` on the way."""
    date_file = [d.strftime("%Y-%m-%d" if rng.random() < 0.2 else "%d-%m-%Y") for d in days]  # per file
    loaded = [at(d, 86400 + 6 * 3600) for d in days]  # the next morning's load
    loaded_earlier = [at(d, 86400 + 2 * 3600) for d in days]
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
        payments.checkpoint()


def _payments(rng, cfg, days, payments, driver, reached, pay_scout) -> None:
    """Yango's report for one driver: reached milestones paid (some reported unpaid), by
    driver_id or by name; a payment-evidence row; at mess_rate a milestone trips do not confirm."""
    driver_id, name, lead = driver

    def pay(day: int, name_, driver_id_, scout, flags) -> None:
        stamp = at(days[day], rng.randrange(9 * 3600, 19 * 3600), None)
        payments.append((len(payments) + 1, days[day], name_, driver_id_, scout, *flags, stamp))

    if reached and rng.random() < 0.6:
        pay_day = reached[-1] + rng.randint(3, 30)
        if pay_day <= TODAY:
            flags = [rng.random() >= 0.1 for _ in reached] + [None] * (3 - len(reached))
            if name != "N/A" and rng.random() < 0.17:
                pay(pay_day, paid_name(rng, name), None, None, flags)
            else:
                pay(pay_day, name, driver_id, pay_scout, flags)
                pay_scout = None
    if pay_scout is not None:  # scout evidence on a row that reports no milestone
        pay(min(lead + rng.randint(1, 20), TODAY), name, driver_id, pay_scout, (None, None, None))
    if len(reached) < 3 and rng.random() < cfg.mess_rate:  # paid without achievement
        flags = [None, None, None]
        flags[len(reached)] = True
        pay(min(lead + rng.randint(15, 40), TODAY), name, driver_id, None, flags)
