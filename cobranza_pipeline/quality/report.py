"""The whole validation suite outside Dagster, as a JSON report and a readable summary.

`cobranza validate` and the daily job's `validation_report` asset both call run_suite(), so
the numbers in the terminal, in the JSON file and in the UI are the same.
"""

import datetime as dt
import json
import time
import uuid
from decimal import Decimal

from cobranza_pipeline.quality.framework import CheckSpec
from cobranza_pipeline.quality.suite import CHECKS
from cobranza_pipeline.settings import Thresholds


def jsonable(value):
    """Exact and JSON-safe: Decimal, dates and UUIDs as text, containers recursively."""
    if isinstance(value, (Decimal, dt.date, dt.datetime, uuid.UUID)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def check_status(passed: bool, severity: str) -> str:
    return "pass" if passed else ("fail" if severity == "ERROR" else "warn")


def run_check(conn, spec: CheckSpec, thresholds: Thresholds) -> dict:
    started = time.perf_counter()
    try:
        outcome = spec.run(conn, thresholds)
    except Exception as exc:  # a check that cannot run is a failed check, not a crashed suite
        conn.rollback() if not conn.autocommit else None
        return {
            "name": spec.name, "asset": spec.asset, "status": "fail", "severity": "ERROR", "value": None,
            "threshold": None, "description": f"the check could not run: {str(exc).strip().splitlines()[0]}",
            "runbook": spec.runbook, "blocking": spec.blocking, "duration_ms": _ms(started), "metadata": {},
        }
    return {
        "name": spec.name,
        "asset": spec.asset,
        "status": check_status(outcome.passed, outcome.severity),
        "severity": outcome.severity,
        "value": jsonable(outcome.value),
        "threshold": jsonable(outcome.threshold),
        "description": outcome.description,
        "runbook": spec.runbook,
        "blocking": spec.blocking,
        "duration_ms": _ms(started),
        "metadata": jsonable(outcome.metadata),
    }


def result_of_evaluation(spec: CheckSpec, passed: bool, severity: str, description: str, metadata: dict) -> dict:
    """The report's entry for a check already evaluated elsewhere (a check step of the same
    Dagster run), from its plain metadata: the same fields run_check() gives, without a
    duration (that check's step records it)."""
    metadata = dict(metadata)
    value, threshold = metadata.pop("value", None), metadata.pop("threshold", None)
    metadata.pop("runbook", None)
    return {
        "name": spec.name, "asset": spec.asset, "status": check_status(passed, severity), "severity": severity,
        "value": value, "threshold": threshold, "description": description, "runbook": spec.runbook,
        "blocking": spec.blocking, "duration_ms": None, "metadata": metadata,
    }


def run_suite(conn, thresholds: Thresholds, evaluated: dict[str, dict] | None = None) -> dict:
    """Every check, in suite order; status 'failed' when an ERROR check failed, 'warned' when
    only WARN checks failed, else 'passed'. `evaluated` holds results already computed in this
    run (name -> entry); those checks are not run again."""
    evaluated = evaluated or {}
    results = [evaluated.get(spec.name) or run_check(conn, spec, thresholds) for spec in CHECKS]
    counts = {status: sum(r["status"] == status for r in results) for status in ("pass", "warn", "fail")}
    overall = "failed" if counts["fail"] else ("warned" if counts["warn"] else "passed")
    return {
        "timestamp": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "status": overall,
        "counts": counts,
        "thresholds": jsonable(vars(thresholds)),
        "checks": results,
    }


def render(report: dict) -> str:
    lines = [f"validation {report['timestamp']}: {report['status'].upper()} "
             f"({report['counts']['pass']} pass, {report['counts']['warn']} warn, {report['counts']['fail']} fail)"]
    for r in report["checks"]:
        lines.append(f"  [{r['status'].upper():4s}] {r['name']:34s} {r['description']}")
    return "\n".join(lines)


def write_report(report: dict, path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(report, out, indent=2, ensure_ascii=False)
        out.write("\n")


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
