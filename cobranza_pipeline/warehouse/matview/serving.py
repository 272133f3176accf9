"""What readers get from an MV when its refresh failed: the refresh never touches the rows it
could not replace, so the MV keeps serving its previous content. This says how much, and from
when."""

import datetime as dt
from dataclasses import dataclass

from cobranza_pipeline.warehouse.matview import statements
from cobranza_pipeline.warehouse.matview.spec import MaterializedViewSpec
from cobranza_pipeline.warehouse.matview.state import read_state
from cobranza_pipeline.warehouse.sqlfiles import read_sql


@dataclass(frozen=True)
class Serving:
    rows: int  # rows readers get now (0: the MV is missing or was never populated)
    last_success: dt.datetime | None  # the refresh those rows come from (ops.mv_refresh_log)


def serving_now(conn, spec: MaterializedViewSpec) -> Serving:
    state = read_state(conn, spec)
    if not (state.exists and state.is_populated):
        return Serving(0, None)
    rows = conn.execute(statements.count_rows(spec)).fetchone()[0]
    last_success = conn.execute(read_sql("checks/mv_freshness.sql"), {"mv_name": spec.qualified_name}).fetchone()[0]
    return Serving(rows, last_success)
