"""Groups (RFC 7643 §4.2): displayName, members and the ways clients manage them."""

from conformance.catalogue import Level, req

MUST = Level.MUST

REQUIREMENTS = [
    req(
        "groups/create",
        "RFC7644 §3.3",
        MUST,
        "POST /Groups with a displayName creates the Group (201) and keeps the displayName.",
    ),
    req(
        "groups/display-name-required",
        "RFC7643 §4.2",
        MUST,
        "A Group without displayName (REQUIRED) is refused with 400.",
    ),
    req(
        "groups/member-reference",
        "RFC7643 §4.2",
        MUST,
        "A member's value is the member's id; a $ref, when returned, is the member's URI.",
    ),
    req(
        "groups/excluded-members",
        "RFC7644 §3.4.2.5",
        MUST,
        "GET of a Group with excludedAttributes=members omits the members and keeps the rest.",
    ),
    req(
        "groups/filter-display-name",
        "RFC7644 §3.4.2.2",
        MUST,
        'filter=displayName eq "..." finds exactly the Group of that name.',
    ),
    req(
        "groups/patch-add-member",
        "RFC7644 §3.5.2.1",
        MUST,
        "PATCH add on members adds the new members and keeps the existing ones.",
    ),
    req(
        "groups/patch-remove-member",
        "RFC7644 §3.5.2.2",
        MUST,
        'PATCH remove with path members[value eq "<id>"] removes only that member.',
    ),
]
