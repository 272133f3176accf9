"""ops.stg_normalized_names: each driver name normalized once, not once per run.

The payments view matches unmatched payment rows to drivers by normalized name, over every
driver of the park (~100,000): normalizing them all was most of the MV's refresh at
production's shape. The rule is a pure function of the text, so its results are kept; a run
normalizes only names it has not seen, and a change of the rule's file empties the cache.
"""

import logging
import time
from dataclasses import dataclass

from cobranza_pipeline.warehouse.sessions import Database
from cobranza_pipeline.warehouse.sqlfiles import read_sql, sha256_of

STAGE = "normalized_names"
LOCK = {"lock_class": 0x636F73, "lock_key": 2}
DEFINITION_FILES = ("ops/normalize_name.sql", "staging/name_cache_table.sql", "staging/name_cache_fill.sql")


@dataclass(frozen=True)
class NameCacheOutcome:
    names_added: int
    emptied: bool  # the rule changed (or first run): every name was normalized anew
    duration_ms: int


def definition_sha256() -> str:
    return sha256_of(*(read_sql(path) for path in DEFINITION_FILES))


def refresh_name_cache(db: Database, log: logging.Logger | None = None) -> NameCacheOutcome:
    log = log or logging.getLogger(__name__)
    started = time.monotonic()
    with db.connect(application_name="cobranza-stage normalized_names", statement_timeout_s=1800) as conn:
        with conn.transaction():
            conn.execute(read_sql("staging/lock.sql"), LOCK)
            conn.execute(read_sql("staging/tables.sql"))  # ops.stage_state
            conn.execute(read_sql("staging/name_cache_table.sql"))
            cur = conn.execute(read_sql("staging/state_read.sql"), {"stage": STAGE})
            state = cur.fetchone()
            emptied = state is None or state[0] != definition_sha256()
            if emptied:
                conn.execute(read_sql("staging/name_cache_truncate.sql"))
            added = conn.execute(read_sql("staging/name_cache_fill.sql")).rowcount
            conn.execute(read_sql("staging/state_write.sql"), {
                "stage": STAGE, "definition_sha256": definition_sha256(), "high_water": None,
                "mode": "full" if emptied else "incremental", "source_oid": None, "source_relfilenode": None,
                "source_updates": None, "source_deletes": None, "stats_reset": None,
            })
    log.info("normalized %s new driver names%s", added, " (cache emptied: the rule changed)" if emptied else "")
    return NameCacheOutcome(added, emptied, int((time.monotonic() - started) * 1000))
