"""Bizagi's SCIM API (help.bizagi.com "Synchronizing users using SCIM's REST methods" and its
pages on reading, updating, deactivating and creating users): rules of the product, checked
on Bizagi profiles only. Where Bizagi deviates from the RFC on purpose (DELETE deactivates),
the lifecycle/ checks judge it.
"""

from conformance.catalogue import Level, req

MUST, SHOULD = Level.MUST, Level.SHOULD

REQUIREMENTS = [
    req("bizagi/username-addressing", "Bizagi §Get user information", MUST,
        "/Users/{userName@domain} works for GET, PATCH, PUT and DELETE and acts on the same "
        "User as /Users/{id}."),
    req("bizagi/short-username-addressing", "Bizagi §Get user information", SHOULD,
        "/Users/{userName} without the domain reads the User (one domain in use)."),
    req("bizagi/id-not-username", "Bizagi §Get user information", SHOULD,
        "The id is Bizagi's own identifier (guidUser), not the userName."),
    req("bizagi/username-too-long", "Bizagi §Create a user", MUST,
        "A userName@domain longer than the limit (25 characters) is refused with 400."),
    req("bizagi/username-max-accepted", "Bizagi §Create a user", MUST,
        "A userName@domain of exactly the limit (25 characters) is accepted."),
    req("bizagi/extension-advertised", "Bizagi §SCIM Schemas", MUST,
        "The UserProperties extension is served by /Schemas and listed in the User resource "
        "type's schemaExtensions."),
    req("bizagi/token-endpoint", "Bizagi §Get OAuth token service", MUST,
        "The token endpoint issues a bearer token for the client credentials, and the SCIM "
        "API accepts it."),
]  # fmt: skip
