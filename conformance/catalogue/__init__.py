"""The requirement catalogue: every requirement the suite enforces, in one place.

Each area of the suite lists its requirements in a module of this package as a
module-level ``REQUIREMENTS`` sequence; they are gathered here at import, and an
id listed twice is an error. Checks refer to an entry by id with
``conformance.checks.requirement``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["CATALOGUE", "Level", "Requirement", "req"]


class Level(StrEnum):
    """RFC 2119 keyword of a requirement: decides FAIL (MUST) or WARN (SHOULD/MAY)."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


_RFC_URLS = {
    "RFC7643": "https://www.rfc-editor.org/rfc/rfc7643",
    "RFC7644": "https://www.rfc-editor.org/rfc/rfc7644",
    "RFC7642": "https://www.rfc-editor.org/rfc/rfc7642",
    "RFC6749": "https://www.rfc-editor.org/rfc/rfc6749",
    "RFC6750": "https://www.rfc-editor.org/rfc/rfc6750",
    "RFC7232": "https://www.rfc-editor.org/rfc/rfc7232",
}


@dataclass(frozen=True)
class Requirement:
    """One requirement: where it is written, how strong it is, what it says."""

    id: str
    doc: str
    section: str
    level: Level
    statement: str

    @property
    def ref(self) -> str:
        """Human reference, e.g. ``RFC7644 §3.3`` or ``Bizagi §DELETE``."""
        return f"{self.doc} §{self.section}" if self.section else self.doc

    @property
    def is_rfc(self) -> bool:
        """True for RFC clauses, False for profile rules (Bizagi, Entra, Okta...)."""
        return self.doc.startswith("RFC")

    @property
    def url(self) -> str | None:
        """Link to the clause, when the document is an RFC."""
        base = _RFC_URLS.get(self.doc)
        if base is None:
            return None
        return f"{base}#section-{self.section}" if self.section else base

    @property
    def area(self) -> str:
        """First segment of the id: the part of the suite the check belongs to."""
        return self.id.split("/", 1)[0]


def req(id: str, ref: str, level: Level | str, statement: str) -> Requirement:
    """Build a Requirement from a compact reference such as ``"RFC7644 §3.5.2"``."""
    doc, _, section = ref.partition("§")
    return Requirement(
        id=id, doc=doc.strip(), section=section.strip(), level=Level(level), statement=statement
    )


def _gather(requirements: Iterable[Requirement], into: dict[str, Requirement]) -> None:
    for requirement in requirements:
        if requirement.id in into:
            raise ValueError(f"requirement id listed twice: {requirement.id}")
        into[requirement.id] = requirement


def _load() -> dict[str, Requirement]:
    catalogue: dict[str, Requirement] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        _gather(getattr(module, "REQUIREMENTS", ()), catalogue)
    return catalogue


CATALOGUE: dict[str, Requirement] = _load()
