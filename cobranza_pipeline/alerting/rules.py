"""When to alert: transitions, grouping and escalation, as plain logic on plain data.

A check (or a job's runs) has a state kept in the sensor cursor: failing or not, at which
severity and for what cause, how many failures in a row, whether that streak was escalated.
Alert on the transition to failing and on recovery; a failure that gets worse (WARN -> ERROR)
or fails for a different cause (another root error) alerts again; repeats of the same failure
are grouped (counted, not sent); the third failure in a row sends one escalation.
"""

import re
from dataclasses import asdict, dataclass, field, replace

ESCALATE_AFTER = 3
SHORT_SUMMARY_CHARS = 200


@dataclass
class StreakState:
    failing: bool = False
    consecutive_failures: int = 0
    escalated: bool = False
    severity: str = ""  # of the current failure: WARN or ERROR
    cause: str = ""  # what the current failure is about (a run's root error); "" when not told apart


@dataclass(frozen=True)
class Alert:
    kind: str  # FAILING | WORSENED | NEW_CAUSE | ESCALATION | RECOVERED | FAILED_AND_RECOVERED | DIGEST
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
        if self.details.get("folded"):
            lines.append(f"({self.details['folded']} earlier alerts of this subject folded in while undelivered)")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return asdict(self)

    def shortened(self, reason: str) -> "Alert":
        """What a channel that refused this alert gets instead: the summary's first line, cut to
        SHORT_SUMMARY_CHARS, and no details; the whole alert is in the alert sensor's log."""
        first = self.summary.strip().splitlines()[0] if self.summary.strip() else ""
        if len(first) > SHORT_SUMMARY_CHARS:
            first = first[:SHORT_SUMMARY_CHARS] + "..."
        summary = f"{first} [shortened: {reason}; the whole alert is in the alert sensor's log]"
        return replace(self, summary=summary, details={"shortened": "true"})


def apply_result(state: StreakState, passed: bool, make_alert, severity: str = "ERROR", cause: str = "") -> list[Alert]:
    """Advance the streak with one result; make_alert(kind) builds the alert to send."""
    if passed:
        alerts = [make_alert("RECOVERED")] if state.failing else []
        state.failing, state.consecutive_failures, state.escalated, state.severity, state.cause = False, 0, False, "", ""
        return alerts
    state.consecutive_failures += 1
    if not state.failing:
        alerts = [make_alert("FAILING")]
    elif severity == "ERROR" and state.severity == "WARN":
        alerts = [make_alert("WORSENED")]
    elif cause != state.cause:
        alerts = [make_alert("NEW_CAUSE")]
    else:
        alerts = []
    state.failing, state.severity, state.cause = True, severity, cause
    if state.consecutive_failures >= ESCALATE_AFTER and not state.escalated:
        state.escalated = True
        alerts.append(make_alert("ESCALATION"))
    return alerts


def cause_of(message: str) -> str:
    """What a failure is about, for telling causes apart: the message with its numbers blanked,
    so the same error naming another session pid, row count or duration is the same cause."""
    return re.sub(r"\d+", "#", message.strip().splitlines()[0] if message.strip() else "")
