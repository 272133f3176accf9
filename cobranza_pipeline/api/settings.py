"""The API's limits, configurable by environment (README: "HTTP API")."""

from dataclasses import dataclass

from cobranza_pipeline.settings import env_float


@dataclass(frozen=True)
class ApiSettings:
    statement_timeout_s: float = 30.0  # per statement, like the old backend
    lock_timeout_s: float = 5.0  # an MV swap in progress: answer 503 soon rather than queue
    connect_timeout_s: int = 5
    max_sessions: int = 8  # concurrent database sessions the API opens at most
    session_wait_s: float = 10.0  # a request waits this long for a free session, then 503
    scout_kpi_cache_ttl_s: float = 60.0
    scout_kpi_cache_entries: int = 256
    export_max_rows: int = 200_000

    @classmethod
    def from_env(cls) -> "ApiSettings":
        defaults = cls()
        return cls(
            statement_timeout_s=env_float("COBRANZA_API_STATEMENT_TIMEOUT_S", defaults.statement_timeout_s),
            max_sessions=int(env_float("COBRANZA_API_MAX_SESSIONS", defaults.max_sessions)),
            scout_kpi_cache_ttl_s=env_float("COBRANZA_API_SCOUT_KPI_CACHE_S", defaults.scout_kpi_cache_ttl_s),
            export_max_rows=int(env_float("COBRANZA_API_EXPORT_MAX_ROWS", defaults.export_max_rows)),
        )
