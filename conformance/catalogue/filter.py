"""Filtering (RFC 7644 §3.4.2.2): operators, logic, paths and case rules of the filter parameter."""

from conformance.catalogue import Level, req

MUST = Level.MUST

REQUIREMENTS = [
    req(
        "filter/operator",
        "RFC7644 §3.4.2.2",
        MUST,
        "Each attribute operator (eq ne co sw ew pr gt ge lt le) on a string attribute returns "
        "exactly the resources that match.",
    ),
    req(
        "filter/boolean",
        "RFC7644 §3.4.2.2",
        MUST,
        "eq on a boolean attribute (active) returns exactly the resources with that value.",
    ),
    req(
        "filter/datetime",
        "RFC7644 §3.4.2.2",
        MUST,
        "gt ge lt le on a dateTime attribute (meta.lastModified) compare chronologically.",
    ),
    req(
        "filter/precedence",
        "RFC7644 §3.4.2.2",
        MUST,
        'Without brackets, "and" binds tighter than "or".',
    ),
    req(
        "filter/grouping",
        "RFC7644 §3.4.2.2",
        MUST,
        "Round brackets group expressions ahead of the default precedence.",
    ),
    req(
        "filter/not",
        "RFC7644 §3.4.2.2",
        MUST,
        "not (expression) matches exactly the resources the expression does not match.",
    ),
    req(
        "filter/value-path",
        "RFC7644 §3.4.2.2",
        MUST,
        'A complex attribute filter such as emails[type eq "work" and value co "@"] applies '
        "all its conditions to the same value (when the provider supports it).",
    ),
    req(
        "filter/sub-attribute",
        "RFC7644 §3.4.2.2",
        MUST,
        "A sub-attribute path of a multi-valued attribute (emails.type) matches when any of "
        "the values matches.",
    ),
    req(
        "filter/case-exact",
        "RFC7644 §3.4.2.2",
        MUST,
        "String comparisons follow the attribute's caseExact characteristic: userName ignores "
        "case, externalId respects it.",
    ),
    req(
        "filter/names-case-insensitive",
        "RFC7644 §3.4.2.2",
        MUST,
        "Attribute names and attribute operators in a filter are case insensitive "
        "(USERNAME Eq ...).",
    ),
    req(
        "filter/extension-attribute",
        "RFC7644 §3.10",
        MUST,
        "An extension attribute addressed by its full URN path (enterprise employeeNumber) "
        "filters like a core attribute.",
    ),
    req(
        "filter/invalid",
        "RFC7644 §3.4.2.2",
        MUST,
        "An invalid filter (unknown operator, unbalanced bracket, ordering operator on a "
        "boolean) is refused with 400 and scimType invalidFilter.",
    ),
    req(
        "filter/no-match",
        "RFC7644 §3.4.2",
        MUST,
        "A query that matches nothing answers 200 with totalResults 0.",
    ),
]
