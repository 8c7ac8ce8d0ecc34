"""When two attribute values are the same value, as far as the RFCs let a server change them.

A server must keep what a client wrote, with the room the RFCs give it:

- RFC 7643 §7 caseExact: "If the attribute is case insensitive, the server MAY alter case for
  a submitted value" (so caseExact=false strings compare case-insensitively);
- RFC 7644 §7.8 / §5: userNames may be prepared for comparison (Unicode normalization);
- RFC 7643 §4.1.2 phoneNumbers: "Service providers SHOULD canonicalize the value according to
  [RFC3966] format" (separators and the `tel:` prefix may change, the digits may not);
  ims: "SHOULD ... remove all whitespace and convert the address to lowercase";
- RFC 7643 §2.3.5: a DateTime is an instant, whatever its notation;
- RFC 7643 §2.4: "If not specified, the value of "primary" SHALL be assumed to be "false"".
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from conformance.model.schema import AttrDef

_FOLDS = (str.casefold, str.lower, lambda s: s.upper().lower())
_PHONE_NOISE = re.compile(r"[\s\-.()/]")


def same_string(expected: str, actual: str, case_exact: bool, *, precis: bool = False) -> bool:
    form: Literal["NFC", "NFKC"] = "NFKC" if precis else "NFC"
    expected, actual = unicodedata.normalize(form, expected), unicodedata.normalize(form, actual)
    if expected == actual:
        return True
    if case_exact:
        return False
    return any(fold(expected) == fold(actual) for fold in _FOLDS)


def phone_digits(value: str) -> str:
    """`tel:+1-201-555-0123` and `+1 (201) 555 0123` are the same number: `+12015550123`."""
    text = value.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    return _PHONE_NOISE.sub("", text).lower()


def _same_reference(expected: str, actual: str) -> bool:
    """URIs canonicalized per RFC 3986 §6.2: scheme and host compare case-insensitively."""
    if expected == actual:
        return True
    try:
        left, right = urlsplit(expected), urlsplit(actual)
    except ValueError:
        return False
    if not left.scheme or not right.scheme:
        return False
    normal = [
        urlunsplit((p.scheme.lower(), p.netloc.lower(), p.path or "/", p.query, p.fragment))
        for p in (left, right)
    ]
    return normal[0] == normal[1]


def _instant(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def same_value(
    attr: AttrDef | None,
    expected: Any,
    actual: Any,
    *,
    parent: str = "",
) -> bool:
    """Is `actual` what the server may show for the `expected` value of this attribute?"""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return bool(expected == actual)
    if isinstance(expected, str) and isinstance(actual, str):
        name = attr.name.lower() if attr else ""
        if parent == "phonenumbers" and name == "value":
            return phone_digits(expected) == phone_digits(actual)
        if parent == "ims" and name == "value":
            squash = re.compile(r"\s+")
            return squash.sub("", expected).casefold() == squash.sub("", actual).casefold()
        if attr is not None and attr.type == "dateTime":
            left, right = _instant(expected), _instant(actual)
            if left is not None and right is not None:
                return left == right
        if attr is not None and attr.type == "reference":
            return _same_reference(expected, actual)
        exact = attr.case_exact if attr is not None else False
        if attr is not None and attr.type == "binary":
            exact = True
        return same_string(expected, actual, exact, precis=(not parent and name == "username"))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return same_element(attr, expected, actual)
    return bool(expected == actual)


def same_element(attr: AttrDef | None, expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    """One element of a complex multi-valued attribute (or a complex value) against another.

    Every sub-attribute the expectation holds must be there with the same value, except:
    `primary` false may be omitted; a `type` outside the declared canonicalValues may be
    ignored (RFC 7643 §7 canonicalValues: "service providers MAY choose to ignore unsupported
    values"); sub-attributes returned "never"/"request" are not expected. Sub-attributes the
    server adds (a canonical `type`, a `display`) are accepted, except a `primary` true the
    client did not ask for.
    """
    parent = attr.name.lower() if attr else ""
    actual_keys = {k.lower(): k for k in actual}
    for key, value in expected.items():
        sub = attr.sub(key) if attr else None
        if sub is not None and sub.returned in ("never", "request"):
            continue
        found_key = actual_keys.get(key.lower())
        found = actual.get(found_key) if found_key is not None else None
        if key.lower() == "primary":
            if bool(value) != bool(found):
                return False
            continue
        if value is None:
            continue
        if found is None:
            if key.lower() == "type" and sub is not None and sub.canonical_values:
                if str(value).lower() not in (c.lower() for c in sub.canonical_values):
                    continue
            return False
        if not same_value(sub, value, found, parent=parent):
            return False
    extra_primary = actual.get(actual_keys.get("primary", "primary"))
    expected_primary = next((v for k, v in expected.items() if k.lower() == "primary"), None)
    return not (extra_primary is True and not expected_primary)


def is_unassigned(value: Any) -> bool:
    """RFC 7643 §2.5: null, an empty array (and an empty object) are unassigned."""
    return value is None or value == [] or value == {}
