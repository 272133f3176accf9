"""Configuration read from the environment, in one place (README: "Configuration")."""

import os
from pathlib import Path


def cobranza_home() -> Path:
    """Project-local runtime folder: embedded PostgreSQL data and the local DAGSTER_HOME."""
    return Path(os.environ.get("COBRANZA_HOME", Path.cwd() / ".cobranza")).resolve()


def database_url_from_env() -> str | None:
    """DATABASE_URL when set and non-empty; None selects the embedded default."""
    return os.environ.get("DATABASE_URL") or None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


def business_timezone() -> str:
    """The IANA zone of the business (COBRANZA_TIMEZONE, default America/Lima): the schedule's
    02:00, and the zone every session turns timestamps into dates in."""
    return os.environ.get("COBRANZA_TIMEZONE") or "America/Lima"


def demo_drivers_on_first_start() -> int:
    """Size of the demo data a fresh embedded database gets (COBRANZA_DEMO_DRIVERS)."""
    return int(env_float("COBRANZA_DEMO_DRIVERS", 5000))
