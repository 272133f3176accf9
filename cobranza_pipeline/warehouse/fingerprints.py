"""How the database remembers what it was built from, and the one rule that says whether an
object is current.

Each object the pipeline builds (view, function, MV, index) carries a COMMENT with the hash of
what the repository declared (its SQL files, its index list) and the hash of its definition
as PostgreSQL deparsed it right after the build. An object is current when it exists, the
first hash equals the repository's now, and the second equals the hash of its definition as
deparsed now (a hand edit in the database changes that).
"""

import re
from dataclasses import dataclass

COMMENT_PREFIX = "cobranza-pipeline"
_COMMENT_FIELDS = re.compile(r"(?P<key>sha256|deparsed)=(?P<value>[0-9a-f]{64})")


def parse_comment(comment: str | None) -> dict[str, str]:
    if not comment or not comment.startswith(COMMENT_PREFIX):
        return {}
    return {m["key"]: m["value"] for m in _COMMENT_FIELDS.finditer(comment)}


def comment_text(source: str, fingerprint: str, deparsed: str) -> str:
    return f"{COMMENT_PREFIX}: {source} sha256={fingerprint} deparsed={deparsed}"


@dataclass(frozen=True)
class Recorded:
    """What the database holds for one object: its COMMENT's hashes and the hash of its
    definition as deparsed now (None when the object does not exist)."""

    comment: str | None
    current_deparsed: str | None

    @property
    def exists(self) -> bool:
        return self.current_deparsed is not None

    @property
    def fields(self) -> dict[str, str]:
        return parse_comment(self.comment)


def drift(recorded: Recorded, expected_sha256: str) -> str | None:
    """None when the object is current; else why it is not, in words."""
    if not recorded.exists:
        return "missing in the database"
    if recorded.fields.get("sha256") != expected_sha256:
        return "built from a different version of its SQL file"
    if recorded.fields.get("deparsed") != recorded.current_deparsed:
        return "edited in the database by hand"
    return None
