"""Okta as the provisioning client: its request patterns, replayed (Okta's "SCIM 2.0"
reference for app integrations). Checks run on profiles that list the dialect `okta`.
"""

from conformance.catalogue import Level, req

MUST = Level.MUST

REQUIREMENTS = [
    req("okta/pathless-active", "Okta §Deactivate user", MUST,
        "{\"op\":\"replace\",\"value\":{\"active\":false}} (no path) deactivates the User, and "
        "the same with true reactivates it."),
    req("okta/put-read-modify-write", "Okta §Update user", MUST,
        "A PUT of the User as read by GET, with one attribute changed, changes that attribute "
        "and keeps every other one."),
]  # fmt: skip
