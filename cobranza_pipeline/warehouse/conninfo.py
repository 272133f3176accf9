"""Connection strings fit for screens and logs: the password masked, the target named.

libpq takes URLs (postgresql://user:secret@host/db) and keyword/value strings
(host=db user=u password=secret); both are masked.
"""

import re

import psycopg

_PASSWORD_IN_URL = re.compile(r"(?P<head>://[^:/@?#]*:)(?P<secret>[^@/?#]*)(?P<tail>@)")
_PASSWORD_IN_QUERY = re.compile(r"(?P<head>[?&]password=)(?P<secret>[^&#]*)", re.IGNORECASE)
# Keyword/value form: quoted values may hold spaces and \' escapes.
_PASSWORD_KEYWORD = re.compile(r"(?P<head>(?:^|\s)password\s*=\s*)(?P<secret>'(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def mask_url(url: str) -> str:
    """The URL (or keyword/value conninfo) with any password replaced by ***."""
    masked = _PASSWORD_IN_URL.sub(lambda m: m["head"] + ("***" if m["secret"] else "") + m["tail"], url)
    masked = _PASSWORD_IN_QUERY.sub(lambda m: m["head"] + "***", masked)
    return _PASSWORD_KEYWORD.sub(lambda m: m["head"] + "***", masked)


def describe_target(url: str) -> str:
    """'host:port/dbname' (or the socket directory) without user or password, for error text."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    host = info.get("host") or "localhost"
    port = info.get("port") or "5432"
    return f"{host}:{port}/{info.get('dbname', '')}"
