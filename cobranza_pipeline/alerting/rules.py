"""When to alert: transitions, grouping and escalation, as plain logic on plain data.

A check (or a job's runs) has a state kept in the sensor cursor: failing or not, how many
failures in a row, whether that streak was escalated. Alert on the transition to failing and
on recovery; repeats of the same failure are grouped (counted, not sent); the third failure
in a row sends one escalation.
"""

from dataclasses import asdict, dataclass, field

ESCALATE_AFTER = 3


@dataclass
class StreakState:
    failing: bool = False
    consecutive_failures: int = 0
    escalated: bool = False


@dataclass(frozen=True)
class Alert:
    kind: str  # FAILING | RECOVERED | ESCALATION | DIGEST
    subject: str  # "asset / check" or the job name
    severity: str  # ERROR | WARN (INFO for an all-clear digest)
    summary: str  # the measured value against the threshold, or the run's error
    runbook: str = ""
    run_id: str = ""
    run_url: str = ""
    details: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Identifies the alert across ticks, so a retried delivery is never sent twice."""
        return f"{self.kind}:{self.subject}:{self.run_id}"

    def title(self) -> str:
        return f"[cobranza {self.kind} {self.severity}] {self.subject}"

    def text(self) -> str:
        lines = [self.title(), self.summary]
        if self.runbook:
            lines.append(f"What to do: {self.runbook}")
        if self.run_url:
            lines.append(f"Run: {self.run_url}")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return asdict(self)


def apply_result(state: StreakState, passed: bool, make_alert) -> list[Alert]:
    """Advance the streak with one result; make_alert(kind) builds the alert to send."""
    if passed:
        alerts = [make_alert("RECOVERED")] if state.failing else []
        state.failing, state.consecutive_failures, state.escalated = False, 0, False
        return alerts
    state.consecutive_failures += 1
    alerts = [] if state.failing else [make_alert("FAILING")]
    state.failing = True
    if state.consecutive_failures >= ESCALATE_AFTER and not state.escalated:
        state.escalated = True
        alerts.append(make_alert("ESCALATION"))
    return alerts
