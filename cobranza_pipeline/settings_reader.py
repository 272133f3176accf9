"""Typed reads of environment variables for settings.py: each value parsed, or a ConfigError
whose one line names the variable and what it accepts."""

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import psycopg
from psycopg.conninfo import conninfo_to_dict


class ConfigError(ValueError):
    """A configuration value the product cannot use; the message names the variable."""


class InvalidConninfo(ValueError):
    """A connection string libpq rejects; the message never quotes it (it may hold a password)."""


def check_conninfo(conninfo: str) -> dict:
    """libpq's reading of conninfo as a dict, or InvalidConninfo with libpq's reason minus the
    token it quotes (e.g. 'invalid percent-encoded token')."""
    try:
        return conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError as exc:
        reason = str(exc).strip().split('"', 1)[0].rstrip(' :') or "not a libpq connection string"
        raise InvalidConninfo(reason) from None


class EnvReader:
    """Typed reads of one environment; an unset or empty variable takes its default, a value
    that does not parse is a ConfigError saying what the variable accepts."""

    def __init__(self, env: Mapping[str, str]):
        self.env = env

    def text(self, name: str) -> str | None:
        return self.env.get(name) or None

    def conninfo(self, name: str) -> str | None:
        """A libpq connection string; the error never quotes the value (it may hold a password)."""
        raw = self.text(name)
        if raw is None:
            return None
        try:
            check_conninfo(raw)
        except InvalidConninfo as exc:
            raise ConfigError(f"{name} must be a libpq connection string (postgresql://user:password@host:port/dbname "
                              f"or host=... dbname=...; reserved characters percent-encoded in a URL), but libpq "
                              f"rejects it: {exc} (the value is not shown)") from None
        return raw

    def _typed(self, name: str, default, parse, accepted: str):
        raw = self.text(name)
        if raw is None:
            return default
        value = parse(raw.strip())
        if value is None:
            raise ConfigError(f"{name} must be {accepted}, got {raw!r}")
        return value

    def number(self, name: str, default: float) -> float:
        return self._typed(name, default, _non_negative_float, "a number >= 0")

    def decimal(self, name: str, default: Decimal) -> Decimal:
        return self._typed(name, default, _percentage, "a percentage from 0 to 100")

    def integer(self, name: str, default: int, low: int, high: int | None = None) -> int:
        accepted = f"a whole number from {low} to {high}" if high else f"a whole number >= {low}"
        return self._typed(name, default, lambda raw: _whole_number(raw, low, high), accepted)

    def directory(self, name: str) -> Path | None:
        """A directory, existing or not yet created (never a file)."""
        return self._typed(name, None, lambda raw: None if Path(raw).exists() and not Path(raw).is_dir()
                           else Path(raw).resolve(), "a directory (or a path where one can be created)")

    def flag(self, name: str, default: bool) -> bool:
        return self._typed(name, default, lambda raw: _FLAGS.get(raw.lower()), "one of true, false, yes, no, 1, 0")

    def cron(self, name: str, default: str) -> str:
        return self._typed(name, default, _cron_expression,
                           "a cron expression of 5 numeric fields such as '0 2 * * *' (values, ranges, lists, /steps) or @daily")

    def timezone(self, name: str, default: str) -> str:
        return self._typed(name, default, _known_zone, "an IANA time zone such as America/Lima")


_CRON_NAMES = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
_CRON_FIELD = re.compile(r"^(?:\*|(\d+)(?:-(\d+))?)(?:/([1-9]\d*))?$", re.ASCII)
_CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))  # minute, hour, day of month, month, weekday
_FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def _cron_expression(raw: str) -> str | None:
    """The expression when it is one of the @ names, or each of its 5 fields lists values ('*',
    n or n-m, each optionally /step) inside the field's range; else None."""
    fields = raw.split()
    if len(fields) == 1 and raw in _CRON_NAMES:
        return raw
    if len(fields) != 5:
        return None
    for field, (low, high) in zip(fields, _CRON_RANGES):
        for part in field.split(","):
            match = _CRON_FIELD.match(part)
            bounds = [int(n) for n in match.groups()[:2] if n is not None] if match else None
            if bounds is None or not all(low <= n <= high for n in bounds) or bounds != sorted(bounds):
                return None
    return " ".join(fields)


def _whole_number(raw: str, low: int, high: int | None) -> int | None:
    # isdecimal() alone would take other scripts' digits (int() reads them) and a sign.
    if not (raw.isascii() and raw.isdecimal()):
        return None
    value = int(raw)
    return value if low <= value and (high is None or value <= high) else None


def _non_negative_float(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if 0 <= value < float("inf") else None


def _percentage(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() and 0 <= value <= 100 else None


def _known_zone(raw: str) -> str | None:
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return raw
