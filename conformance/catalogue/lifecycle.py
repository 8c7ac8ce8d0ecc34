"""Logical delete: targets whose DELETE only deactivates a User (profile delete_mode =
"deactivate"; Bizagi: "Users cannot be deleted in Bizagi. What you can do is deactivate a
user"). These are profile rules, not RFC clauses: on profiles whose DELETE removes, RFC 7644
§3.6 applies instead and the delete/ checks judge it.

Each check runs twice: after DELETE ([delete]) and after PATCH active=false ([patch]; Bizagi:
"You can also deactivate a user updating the active parameter").
"""

from conformance.catalogue import Level, req

MUST = Level.MUST

REQUIREMENTS = [
    req("lifecycle/deactivated-readable", "Bizagi §Deactivate a user", MUST,
        "A deactivated User (by DELETE, or by PATCH active=false) is still returned by GET, "
        "with active false."),
    req("lifecycle/deactivated-found", "Bizagi §Deactivate a user", MUST,
        "A deactivated User is still found by a userName eq filter, with active false."),
    req("lifecycle/reactivate", "Bizagi §Deactivate a user", MUST,
        "PATCH active=true on a deactivated User succeeds and GET then shows active true."),
]  # fmt: skip
