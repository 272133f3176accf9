"""Measuring for `cobranza bench`: timers, percentiles, query latency and readers under load."""

import statistics
import threading
import time

import psycopg

from cobranza_pipeline.serving.sessions import api_session_settings
from cobranza_pipeline.settings import ApiSettings
from cobranza_pipeline.warehouse.sessions import Database, connect


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)

    return {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "max": round(ordered[-1], 2), "n": len(ordered)}


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return round(time.perf_counter() - started, 3), result


def query_latency(conn, probe, runs: int) -> dict[str, float]:
    """Wall time of each run of probe(conn) (a dashboard request, every row fetched); one
    warm-up run first. `rows` is what one run read."""
    rows = probe(conn)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        probe(conn)
        samples.append((time.perf_counter() - started) * 1000)
    return {**percentiles(samples), "rows": rows}


def reader_session(db: Database) -> psycopg.Connection:
    """A session with the API's settings (timeouts, JIT off, custom plans), so the dashboard's
    statements are timed as the API runs them (opening the session is not timed)."""
    return connect(db.url, api_session_settings(ApiSettings(), db.session.timezone, "cobranza-bench reader"))


def readers_during(db: Database, probe, action, readers: int = 4, pause_s: float = 0.01) -> tuple[dict, list[str], object]:
    """Run `action()` while `readers` sessions repeat probe(conn), each pausing pause_s between
    requests as dashboard users do (without pauses the readers alone saturate the cores);
    (latency, errors, action's result)."""
    samples: list[float] = []
    errors: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()

    def read_loop():
        with reader_session(db) as conn:
            while not stop.is_set():
                started = time.perf_counter()
                try:
                    probe(conn)
                except psycopg.Error as exc:
                    errors.append(str(exc).splitlines()[0])
                    continue
                with lock:
                    samples.append((time.perf_counter() - started) * 1000)
                stop.wait(pause_s)

    threads = [threading.Thread(target=read_loop) for _ in range(readers)]
    for thread in threads:
        thread.start()
    try:
        result = action()
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return (percentiles(samples) if samples else {}), errors, result


def median_seconds(fn, runs: int = 3) -> float:
    return round(statistics.median(timed(fn)[0] for _ in range(runs)), 3)
