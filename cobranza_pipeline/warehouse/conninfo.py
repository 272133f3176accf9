"""Connection strings fit for screens and logs: the password masked, the target named.

libpq takes URLs (postgresql://user:secret@host/db) and keyword/value strings
(host=db user=u password=secret). A whole connection string is read with libpq's own parser
(psycopg's conninfo_to_dict), so what is masked is exactly what libpq would send as the
password: in a URL the user info runs to the first '@' or '/', so '#', '?' and ':' belong to
the password; a keyword value may be quoted or hold backslash-escaped spaces. Free text (an
error message) is scrubbed with the same rules written as patterns.
"""

import re

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from cobranza_pipeline.settings_reader import InvalidConninfo, check_conninfo

MASK = "***"
_PASSWORD_IN_URL = re.compile(r"(?P<head>://[^:/@\s]*:)(?P<secret>[^@/\s]*)(?P<tail>@)")
_PASSWORD_IN_QUERY = re.compile(r"(?P<head>[?&]password=)(?P<secret>[^&\s]*)", re.IGNORECASE)
# Keyword/value form: a quoted value may hold spaces and \' escapes; an unquoted one runs to the
# first whitespace that no backslash escapes.
_PASSWORD_KEYWORD = re.compile(
    r"(?P<head>(?:^|\s)password\s*=\s*)(?P<secret>'(?:[^'\\]|\\.)*'|(?:\\.|[^\s\\])+)", re.IGNORECASE)


def mask_url(text: str) -> str:
    """text (an error message, a log line, a connection string) with any password that a URL,
    a URL query or a keyword/value pair in it carries replaced by ***."""
    masked = _PASSWORD_IN_URL.sub(lambda m: m["head"] + (MASK if m["secret"] else "") + m["tail"], text)
    masked = _PASSWORD_IN_QUERY.sub(lambda m: m["head"] + MASK, masked)
    return _PASSWORD_KEYWORD.sub(lambda m: m["head"] + MASK, masked)


def mask_conninfo(conninfo: str) -> str:
    """The connection string as given with its password shown as ***, checked with libpq's parser:
    if the masked text would not read as the same settings with password ***, the settings are
    shown in keyword/value form instead. Unparseable input is never echoed."""
    try:
        settings = check_conninfo(conninfo)
    except InvalidConninfo as exc:
        return f"<a connection string libpq rejects: {exc}>"
    if not settings.get("password"):
        return conninfo
    expected = {**settings, "password": MASK}
    masked = mask_url(conninfo)
    try:
        if conninfo_to_dict(masked) == expected:
            return masked
    except psycopg.ProgrammingError:
        pass
    return make_conninfo(**expected)


def describe_target(url: str) -> str:
    """'host:port/dbname' (or the socket directory) without user or password, for error text."""
    try:
        info = check_conninfo(url)
    except InvalidConninfo:
        return "<a connection string libpq rejects>"
    host = info.get("host") or "localhost"
    port = info.get("port") or "5432"
    return f"{host}:{port}/{info.get('dbname', '')}"
