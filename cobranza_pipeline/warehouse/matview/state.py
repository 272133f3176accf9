"""What the database holds for an MV, and which refresh mode that calls for."""

from dataclasses import dataclass, field

from cobranza_pipeline.warehouse.fingerprints import Recorded, drift
from cobranza_pipeline.warehouse.matview.spec import MaterializedViewSpec
from cobranza_pipeline.warehouse.sqlfiles import read_sql, sha256_of


@dataclass(frozen=True)
class MatviewState:
    recorded: Recorded  # the MV's COMMENT and the hash of its definition as deparsed now
    is_populated: bool = False
    indexes: dict[str, dict] = field(default_factory=dict)  # name -> is_valid, is_unique, ...

    @property
    def exists(self) -> bool:
        return self.recorded.exists


def read_state(conn, spec: MaterializedViewSpec) -> MatviewState:
    params = {"schema": spec.schema, "name": spec.name}
    row = conn.execute(read_sql("mv/matview_state.sql"), params).fetchone()
    if row is None:
        return MatviewState(Recorded(None, None))
    is_populated, comment, definition = row
    cur = conn.execute(read_sql("mv/matview_indexes.sql"), params)
    columns = [column.name for column in cur.description]
    indexes = {values[0]: dict(zip(columns, values)) for values in cur.fetchall()}
    return MatviewState(Recorded(comment, sha256_of(definition)), is_populated, indexes)


def missing_or_invalid_indexes(spec: MaterializedViewSpec, state: MatviewState) -> list[str]:
    """Declared indexes that are absent, invalid, or not the index the machinery built from
    this declaration (recreated by hand under the same name, or declared differently now)."""
    wrong = []
    for index in spec.indexes:
        found = state.indexes.get(index.name)
        recorded = Recorded(found["comment"], sha256_of(found["definition"])) if found else Recorded(None, None)
        if not (found and found["is_valid"]) or drift(recorded, index.fingerprint) is not None:
            wrong.append(index.name)
    return wrong


def plan_mode(spec: MaterializedViewSpec, state: MatviewState) -> str:
    """create | rebuild | plain | concurrent."""
    if not state.exists:
        return "create"
    # A changed SELECT or file under it, a hand edit, or a wrong index: rebuild from sql/.
    if drift(state.recorded, spec.fingerprint) is not None or missing_or_invalid_indexes(spec, state):
        return "rebuild"
    if not state.is_populated:
        return "plain"
    return "concurrent"


def read_columns(conn, qualified_name: str) -> list[tuple[str, str, bool]]:
    """(name, type, nullable) of each column of the relation, in order."""
    return [tuple(row) for row in conn.execute(read_sql("mv/columns.sql"), {"relation": qualified_name}).fetchall()]
