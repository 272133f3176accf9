"""What a check is, what it returns, and its thresholds: shared by Dagster and `cobranza validate`.

A check is a plain function (connection, thresholds) -> CheckOutcome. It decides pass/fail and
its severity at run time and says, in one sentence, the measured value against the threshold.
checks_dagster.py turns each CheckSpec into a Dagster asset check; validate.py runs them all
outside Dagster.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Literal

from cobranza_pipeline.settings import env_float
from cobranza_pipeline.sqlfiles import read_sql

Severity = Literal["ERROR", "WARN"]


@dataclass(frozen=True)
class Thresholds:
    """Configurable by environment; README "Validation suite" lists the variables."""

    scout_coverage_error_pct: Decimal = Decimal("90")
    scout_coverage_warn_pct: Decimal = Decimal("95")
    query_latency_ms: float = 300.0
    freshness_hours: float = 26.0

    @classmethod
    def from_env(cls) -> "Thresholds":
        return cls(
            scout_coverage_error_pct=Decimal(str(env_float("COBRANZA_SCOUT_COVERAGE_ERROR_PCT", 90))),
            scout_coverage_warn_pct=Decimal(str(env_float("COBRANZA_SCOUT_COVERAGE_WARN_PCT", 95))),
            query_latency_ms=env_float("COBRANZA_QUERY_LATENCY_MS", 300),
            freshness_hours=env_float("COBRANZA_FRESHNESS_HOURS", 26),
        )


@dataclass
class CheckOutcome:
    passed: bool
    severity: Severity  # how bad a failure is; on a pass, the severity a failure would have
    value: object  # the measured value
    threshold: object
    description: str  # the measured value against the threshold, in words
    metadata: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckSpec:
    name: str
    asset: str  # qualified name of the asset the check guards
    run: Callable[..., CheckOutcome]
    runbook: str  # what to do when it fails
    blocking: bool = False  # a failure means the MV is wrong: fail the run

    @property
    def doc(self) -> str:
        return (self.run.__doc__ or self.name).strip()


def fetch_one(conn, sql_file: str, params=None) -> dict[str, object]:
    cur = conn.execute(read_sql(sql_file), params)
    row = cur.fetchone()
    return dict(zip([column.name for column in cur.description], row))


def fetch_all(conn, sql_file: str, params=None) -> list[dict[str, object]]:
    cur = conn.execute(read_sql(sql_file), params)
    columns = [column.name for column in cur.description]
    return [dict(zip(columns, row)) for row in cur.fetchall()]


def zero_violations(sql_file: str, what: str, severity: Severity = "ERROR") -> Callable[..., CheckOutcome]:
    """A check whose SQL returns `violations` (a count) and `examples`: passes at 0."""

    def run(conn, thresholds: Thresholds) -> CheckOutcome:
        row = fetch_one(conn, sql_file)
        violations = row.pop("violations")
        examples = row.pop("examples") or []
        return CheckOutcome(
            passed=violations == 0,
            severity=severity,
            value=violations,
            threshold=0,
            description=f"{violations} {what} (threshold 0)",
            metadata={"violations": violations, "examples": list(examples), **row},
        )

    run.__doc__ = f"No {what}."
    return run
