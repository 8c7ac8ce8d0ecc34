"""Attribute characteristics of one resource type, read from the target's own /Schemas.

The oracle judges a representation by the target's declared characteristics (caseExact,
returned, mutability, multiValued, canonicalValues), never by a fixed idea of the User. The
common attributes (RFC 7643 §3.1: id, externalId, meta) are not part of any schema, so their
characteristics are built in; RFC 7643 §3.1 says they "SHALL take precedence over older
definitions that may be included in existing schemas".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from conformance.discovery import CORE_USER, Capabilities
from conformance.resources import data_dir

COMMON = "common"
"""Pseudo schema of the common attributes id, externalId and meta."""


@dataclass(frozen=True)
class AttrDef:
    """One attribute (or sub-attribute) definition with RFC 7643 §2.2 defaults."""

    name: str
    type: str = "string"
    multi_valued: bool = False
    required: bool = False
    case_exact: bool = False
    mutability: str = "readWrite"
    returned: str = "default"
    uniqueness: str = "none"
    canonical_values: tuple[str, ...] = ()
    sub_attributes: tuple[AttrDef, ...] = ()

    @property
    def is_complex(self) -> bool:
        return self.type == "complex" or bool(self.sub_attributes)

    def sub(self, name: str) -> AttrDef | None:
        """A sub-attribute by name, case-insensitively (RFC 7643 §2.1)."""
        wanted = name.lower()
        return next((s for s in self.sub_attributes if s.name.lower() == wanted), None)

    @property
    def writable(self) -> bool:
        return self.mutability in ("readWrite", "writeOnly")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AttrDef:
        subs = tuple(
            cls.from_json(s) for s in data.get("subAttributes") or [] if isinstance(s, Mapping)
        )
        canonical = data.get("canonicalValues") or ()
        return cls(
            name=str(data.get("name", "")),
            type=str(data.get("type") or ("complex" if subs else "string")),
            multi_valued=data.get("multiValued") is True,
            required=data.get("required") is True,
            case_exact=data.get("caseExact") is True,
            mutability=str(data.get("mutability") or "readWrite"),
            returned=str(data.get("returned") or "default"),
            uniqueness=str(data.get("uniqueness") or "none"),
            canonical_values=tuple(str(v) for v in canonical if isinstance(v, str | int)),
            sub_attributes=subs,
        )


_META_SUBS = tuple(
    AttrDef(name, type=kind, mutability="readOnly", case_exact=exact)
    for name, kind, exact in (
        ("resourceType", "string", True),
        ("created", "dateTime", False),
        ("lastModified", "dateTime", False),
        ("location", "reference", True),
        ("version", "string", True),
    )
)
COMMON_ATTRIBUTES: tuple[AttrDef, ...] = (
    AttrDef("id", case_exact=True, mutability="readOnly", returned="always", uniqueness="server"),
    AttrDef("externalId", case_exact=True),
    AttrDef("meta", type="complex", mutability="readOnly", sub_attributes=_META_SUBS),
)


@dataclass(frozen=True)
class AttrRef:
    """Where an attribute lives: its schema URN (COMMON, the core URN or an extension)."""

    urn: str
    attr: AttrDef
    extension: bool = False

    @property
    def label(self) -> str:
        return f"{self.urn}:{self.attr.name}" if self.extension else self.attr.name


@dataclass
class SchemaView:
    """The attributes a resource type's representation may carry, by schema."""

    core_urn: str
    core: dict[str, AttrDef] = field(default_factory=dict)
    extensions: dict[str, dict[str, AttrDef]] = field(default_factory=dict)
    required_extensions: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls,
        core_urn: str,
        schemas: Mapping[str, Mapping[str, Any]],
        extensions: Mapping[str, bool] | Iterable[str] = (),
    ) -> SchemaView:
        """From Schema documents keyed by id (RFC 7643 §7), e.g. capabilities.schemas."""
        by_lower = {k.lower(): v for k, v in schemas.items()}
        view = cls(core_urn=core_urn)
        view.core = _attributes(by_lower.get(core_urn.lower()))
        for common in COMMON_ATTRIBUTES:
            view.core[common.name.lower()] = common
        required = extensions if isinstance(extensions, Mapping) else dict.fromkeys(extensions)
        for urn in required:
            view.extensions[urn] = _attributes(by_lower.get(urn.lower()))
        view.required_extensions = frozenset(u for u, needed in required.items() if needed)
        return view

    @classmethod
    def for_users(cls, capabilities: Capabilities) -> SchemaView:
        """The User resource type as the target describes it.

        A target that serves no User schema (or no /Schemas at all) is judged by the schema
        of RFC 7643 §8.7.1; a schema the target does serve always wins.
        """
        info = capabilities.users
        urn = info.schema if info else CORE_USER
        schemas = {**rfc_schemas(), **capabilities.schemas}
        return cls.build(urn, schemas, info.extensions if info else {})

    # -- lookup --------------------------------------------------------------------------

    def extension_urn(self, key: str) -> str | None:
        """The declared extension URN a JSON key names (case-insensitively), if any."""
        wanted = key.lower()
        return next((u for u in self.extensions if u.lower() == wanted), None)

    def attribute(self, urn: str | None, name: str) -> AttrRef | None:
        """An attribute of the core schema (urn None or the core URN) or of an extension."""
        wanted = name.lower()
        if urn is None or urn.lower() == self.core_urn.lower():
            found = self.core.get(wanted)
            if found is None:
                return None
            is_common = any(c.name.lower() == wanted for c in COMMON_ATTRIBUTES)
            return AttrRef(COMMON if is_common else self.core_urn, found)
        ext = self.extension_urn(urn)
        if ext is None:
            return None
        found = self.extensions[ext].get(wanted)
        return AttrRef(ext, found, extension=True) if found else None

    def split_urn(self, path: str) -> tuple[str | None, str]:
        """`urn:...:User:name.givenName` -> (URN, `name.givenName`); no URN -> (None, path).

        RFC 7644 §3.10: an attribute may be prefixed by its schema URN; the longest declared
        URN that prefixes the path wins, so that `...:enterprise:2.0:User` is not mistaken
        for the core User URN.
        """
        lowered = path.lower()
        candidates = [self.core_urn, *self.extensions]
        for urn in sorted(candidates, key=len, reverse=True):
            if lowered.startswith(urn.lower() + ":"):
                return urn, path[len(urn) + 1 :]
        return None, path

    def all_refs(self) -> list[AttrRef]:
        """Every attribute of the resource type (core first, then extensions)."""
        refs = [r for r in (self.attribute(None, a.name) for a in self.core.values()) if r]
        for urn, attrs in self.extensions.items():
            refs.extend(AttrRef(urn, a, extension=True) for a in attrs.values())
        return refs


@cache
def rfc_schemas() -> dict[str, dict[str, Any]]:
    """The User, Group and enterprise User schemas of RFC 7643 §8.7.1, by id."""
    path = data_dir("fixtures") / "rfc7643" / "8.7.1-resource-schemas.json"
    try:
        documents = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {d["id"]: d for d in documents if isinstance(d, dict) and isinstance(d.get("id"), str)}


def _attributes(schema: Mapping[str, Any] | None) -> dict[str, AttrDef]:
    if not schema:
        return {}
    found: dict[str, AttrDef] = {}
    for item in schema.get("attributes") or []:
        if isinstance(item, Mapping) and isinstance(item.get("name"), str):
            attr = AttrDef.from_json(item)
            found[attr.name.lower()] = attr
    return found
