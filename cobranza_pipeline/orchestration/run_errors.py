"""Why a run failed, in one line, from Dagster's error records."""

from dagster import DagsterEventType


def root_message(error) -> str:
    """The error that says why, from a Dagster SerializableErrorInfo chain: the first one below
    Dagster's own wrappers. Not the innermost: a RefreshError names the limit or the blocking
    session, the psycopg error it was raised from only says "canceling statement"."""
    while error.cause is not None and (error.cls_name or "").startswith("Dagster"):
        error = error.cause
    return error.message.strip()


def run_failure_message(instance, run_id: str) -> str:
    """The first failed step's root error, else the run's own (it failed before any step, e.g.
    no database), else a plain 'run failed'."""
    for record in instance.all_logs(run_id, of_type=DagsterEventType.STEP_FAILURE):
        return root_message(record.dagster_event.event_specific_data.error)
    for record in instance.all_logs(run_id, of_type=DagsterEventType.RUN_FAILURE):
        return run_failure_reason(record)
    return "run failed"


def run_failure_reason(record) -> str:
    """Why the run failed, from its RUN_FAILURE record: the error's root (it failed before any
    step, e.g. no database), else the record's message (a run marked failed from outside, e.g.
    its run worker died), else a plain 'run failed'."""
    data = record.dagster_event.event_specific_data if record.dagster_event else None
    if data is not None and data.error is not None:
        return root_message(data.error)
    return record.message or "run failed"
