"""What a check is, what it returns, and its thresholds: shared by Dagster and `cobranza validate`.

A check is a plain function (connection, thresholds) -> CheckOutcome. It decides pass/fail and
its severity at run time and says, in one sentence, the measured value against the threshold.
Its docstring is its description, and its "When it fails:" paragraph the runbook; a check
that counts violations takes both from its SQL file's header (Violation, When it fails).
The Dagster layer turns each CheckSpec into an asset check; report.py runs them all outside
Dagster. Thresholds come from settings.py, resolved at the edge and passed in.
"""

import inspect
from dataclasses import dataclass, field
from typing import Callable, Literal

from cobranza_pipeline.settings import Thresholds
from cobranza_pipeline.warehouse.sqlfiles import header_fields, read_sql

Severity = Literal["ERROR", "WARN"]


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
    blocking: bool = False  # a failure means the MV is wrong: fail the run

    @property
    def doc(self) -> str:
        return self._doc_parts()[0]

    @property
    def runbook(self) -> str:
        """What to do when it fails."""
        return self._doc_parts()[1]

    def _doc_parts(self) -> tuple[str, str]:
        doc = inspect.cleandoc(self.run.__doc__ or self.name)
        described, _, runbook = doc.partition("When it fails:")
        return described.strip(), " ".join(runbook.split())


def fetch_one(conn, sql_file: str, params=None) -> dict[str, object]:
    cur = conn.execute(read_sql(sql_file), params)
    row = cur.fetchone()
    return dict(zip([column.name for column in cur.description], row))


def fetch_all(conn, sql_file: str, params=None) -> list[dict[str, object]]:
    cur = conn.execute(read_sql(sql_file), params)
    columns = [column.name for column in cur.description]
    return [dict(zip(columns, row)) for row in cur.fetchall()]


def zero_violations(sql_file: str, severity: Severity = "ERROR") -> Callable[..., CheckOutcome]:
    """A check whose SQL returns `violations` (a count) and `examples`: passes at 0. What it
    counts and what to do when it fails are the file header's Violation and When it fails."""
    header = header_fields(sql_file)
    what = header["Violation"]

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

    run.__doc__ = f"No {what}.\n\nWhen it fails: {header['When it fails']}"
    return run
