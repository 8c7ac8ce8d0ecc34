"""Microsoft Entra ID as the provisioning client: the requests it really sends, replayed.

Sources: Microsoft's "Tutorial: Develop and plan provisioning for a SCIM endpoint"
(use-scim-to-provision-users-and-groups.md), "Known issues and resolutions with SCIM 2.0
protocol compliance" (application-provisioning-config-problem-scim-compatibility.md) and
"How provisioning works". Checks run on profiles that list the dialect `entra` (Entra's default
requests) or `entra-2020` (the aadOptscim062020 requests); rules about both run on either.
"""

from conformance.catalogue import Level, req

MUST, SHOULD = Level.MUST, Level.SHOULD

REQUIREMENTS = [
    # -- the default dialect ---------------------------------------------------------------
    req("entra/op-case-insensitive", "Entra §PATCH op values", MUST,
        "PATCH operations named \"Replace\", \"Add\" and \"Remove\" (capitalised) are applied."),
    req("entra/string-boolean", "Entra §Disable user", MUST,
        "{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"} (a string) deactivates "
        "the User."),
    req("entra/one-op-per-attribute", "Entra §Update user", MUST,
        "An update sent as one Replace per attribute (name, work email, extension attributes "
        "by full URN path) changes every attribute."),
    # -- aadOptscim062020 ------------------------------------------------------------------
    req("entra/pathless-dotted-keys", "Entra §aadOptscim062020", MUST,
        "A path-less replace whose value uses dotted keys (name.givenName) and full-URN "
        "extension keys changes those attributes."),
    req("entra/member-filter-remove", "Entra §aadOptscim062020", MUST,
        "remove with path members[value eq \"id\"] removes that member from a Group and keeps "
        "the others."),
    # -- both ------------------------------------------------------------------------------
    req("entra/match-empty", "Entra §Query users", MUST,
        "The matching query userName eq \"...\" answers 200 with totalResults 0 and no "
        "resources when nothing matches."),
    req("entra/match-found", "Entra §Query users", MUST,
        "The matching query userName eq \"...\" finds the existing User."),
    req("entra/create-payload", "Entra §Create user", MUST,
        "Entra's create request (with meta.resourceType, an empty roles array, externalId "
        "and the enterprise schema when offered) creates the User (201) as sent."),
    req("entra/id-addressing", "Entra §How provisioning works", MUST,
        "/Users/{id} with the id returned on create works for GET and PATCH (Entra caches "
        "it for every later operation), whatever addressing the profile prefers."),
    req("entra/inactive-returned", "Entra §Soft-delete", SHOULD,
        "A User set active=false is still returned: by GET /Users/{id} and by the userName "
        "matching query."),
    req("entra/soft-delete-restore", "Entra §Soft-delete", MUST,
        "PATCH active=false soft-deletes the User and PATCH active=true restores it."),
]  # fmt: skip
