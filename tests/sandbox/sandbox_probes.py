"""One black-box probe per sandbox fault: True when the defect is observed.

A probe talks HTTP to a sandbox like any client would. The fault tests run each probe twice:
on a clean sandbox it must see nothing, on the faulted one it must see the defect.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx
from sandbox_helpers import (
    ENTERPRISE,
    ERROR,
    GROUP,
    LIST,
    USER,
    Scim,
    raw_client,
    user_name,
)

Probe = Callable[[Scim], bool]
BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
PROBES: dict[str, Probe] = {}

START_OPTIONS: dict[str, dict[str, Any]] = {"token-expiry-ignored": {"token_lifetime": 1}}
"""Extra start_sandbox arguments a probe needs, for both the clean and the faulted server."""


def probe(name: str) -> Callable[[Probe], Probe]:
    def register(function: Probe) -> Probe:
        PROBES[name] = function
        return function

    return register


def _is_scim_error(response: httpx.Response) -> bool:
    try:
        document = response.json()
    except ValueError:
        return False
    return isinstance(document, dict) and ERROR in (document.get("schemas") or [])


# -- discovery -----------------------------------------------------------------------------


@probe("spc-missing-schemas")
def _(scim: Scim) -> bool:
    document = scim.get("/ServiceProviderConfig").json()
    return "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig" not in (
        document.get("schemas") or []
    )


@probe("resourcetype-unknown-schema")
def _(scim: Scim) -> bool:
    served = {schema["id"] for schema in scim.get("/Schemas").json()["Resources"]}
    named = {
        extension["schema"]
        for resource_type in scim.get("/ResourceTypes").json()["Resources"]
        for extension in resource_type.get("schemaExtensions") or []
    }
    return not named <= served


@probe("schema-username-optional")
def _(scim: Scim) -> bool:
    schema = scim.get(f"/Schemas/{USER}").json()
    user_name_attribute = next(a for a in schema["attributes"] if a["name"] == "userName")
    return user_name_attribute.get("required") is not True


@probe("discovery-html-content-type")
def _(scim: Scim) -> bool:
    response = scim.get("/ServiceProviderConfig", headers={"Accept": "application/scim+json"})
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    return media_type not in ("application/scim+json", "application/json")


@probe("spc-authentication-schemes-empty")
def _(scim: Scim) -> bool:
    return not scim.get("/ServiceProviderConfig").json().get("authenticationSchemes")


@probe("schemas-bare-array")
def _(scim: Scim) -> bool:
    document = scim.get("/Schemas").json()
    return not isinstance(document, dict) or LIST not in (document.get("schemas") or [])


@probe("discovery-json-media-type")
def _(scim: Scim) -> bool:
    response = scim.get("/Schemas", headers={"Accept": "application/scim+json"})
    return response.headers.get("content-type", "").split(";")[0].strip() != (
        "application/scim+json"
    )


@probe("resourcetype-extension-required-missing")
def _(scim: Scim) -> bool:
    return any(
        "required" not in extension
        for resource_type in scim.get("/ResourceTypes").json()["Resources"]
        for extension in resource_type.get("schemaExtensions") or []
    )


@probe("resourcetype-by-id-missing")
def _(scim: Scim) -> bool:
    return scim.get("/ResourceTypes/User").status_code != 200


@probe("schema-by-id-differs")
def _(scim: Scim) -> bool:
    listed = next(s for s in scim.get("/Schemas").json()["Resources"] if s["id"] == USER)
    single = scim.get(f"/Schemas/{USER}").json()
    return [a["name"] for a in listed["attributes"]] != [a["name"] for a in single["attributes"]]


@probe("discovery-unknown-id-200")
def _(scim: Scim) -> bool:
    unknown = "urn:ietf:params:scim:schemas:extension:nope:2.0:Nope"
    return scim.get(f"/Schemas/{unknown}").status_code != 404


def _user_schema_attributes(scim: Scim) -> list[dict[str, Any]]:
    attributes: list[dict[str, Any]] = scim.get(f"/Schemas/{USER}").json()["attributes"]
    return attributes


@probe("schema-mutability-invalid")
def _(scim: Scim) -> bool:
    keywords = {"readOnly", "readWrite", "immutable", "writeOnly"}
    return any(
        a.get("mutability", "readWrite") not in keywords for a in _user_schema_attributes(scim)
    )


@probe("schema-password-returned-default")
def _(scim: Scim) -> bool:
    password = next(a for a in _user_schema_attributes(scim) if a["name"] == "password")
    return password.get("returned") != "never"


@probe("schema-complex-without-subattributes")
def _(scim: Scim) -> bool:
    return any(
        a.get("type") == "complex" and not a.get("subAttributes")
        for a in _user_schema_attributes(scim)
    )


# -- create and read -----------------------------------------------------------------------


@probe("create-location-missing")
def _(scim: Scim) -> bool:
    response = scim.post("/Users", {"schemas": [USER], "userName": user_name()})
    assert response.status_code == 201
    return response.headers.get("location") != response.json()["meta"]["location"]


@probe("create-duplicate-accepted")
def _(scim: Scim) -> bool:
    name = user_name()
    scim.create_user(name)
    again = scim.post("/Users", {"schemas": [USER], "userName": name.upper()})
    return again.status_code != 409


@probe("read-password-returned")
def _(scim: Scim) -> bool:
    created = scim.create_user(password="t1meMa$heen")
    listed = scim.search(filter=f'userName eq "{created["userName"]}"')["Resources"]
    return "password" in scim.user(created["id"]) or any("password" in r for r in listed)


@probe("read-id-missing")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    return not scim.get(f"/Users/{created['id']}").json().get("id")


@probe("read-meta-missing")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    return "meta" not in scim.user(created["id"])


@probe("not-found-not-scim-error")
def _(scim: Scim) -> bool:
    response = scim.get("/Users/no-such-user-id")
    assert response.status_code == 404
    return not _is_scim_error(response)


@probe("username-addressing-broken")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    return scim.get(f"/Users/{quote(created['userName'])}").status_code != 200


@probe("create-answers-200")
def _(scim: Scim) -> bool:
    return scim.post("/Users", {"schemas": [USER], "userName": user_name()}).status_code != 201


@probe("create-username-missing")
def _(scim: Scim) -> bool:
    return scim.post("/Users", {"schemas": [USER], "displayName": "No Name"}).status_code < 400


@probe("meta-resourcetype-wrong")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    return bool(scim.user(created["id"])["meta"]["resourceType"] != "User")


@probe("readonly-meta-stored")
def _(scim: Scim) -> bool:
    meta = {"created": "2001-01-01T00:00:00Z", "lastModified": "2001-01-01T00:00:00Z"}
    created = scim.create_user(meta=meta)
    return str(scim.user(created["id"])["meta"]["created"]).startswith("2001")


@probe("username-length-unchecked")
def _(scim: Scim) -> bool:
    name = "x" * 19 + "@ex.com"  # 26 characters, one over Bizagi's limit
    return scim.post("/Users", {"schemas": [USER], "userName": name}).status_code != 400


@probe("username-limit-off-by-one")
def _(scim: Scim) -> bool:
    name = "y" * 18 + "@ex.com"  # exactly Bizagi's 25 characters
    return scim.post("/Users", {"schemas": [USER], "userName": name}).status_code != 201


@probe("created-lastmodified-differ")
def _(scim: Scim) -> bool:
    meta = scim.create_user()["meta"]
    return bool(meta["created"] != meta["lastModified"])


@probe("meta-location-collection")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    return not str(scim.user(created["id"])["meta"]["location"]).endswith(f"/{created['id']}")


# -- replace -----------------------------------------------------------------------------------


@probe("put-resets-created")
def _(scim: Scim) -> bool:
    created = scim.create_user(displayName="before")
    time.sleep(0.01)
    replaced = scim.put(
        f"/Users/{created['id']}",
        {"schemas": [USER], "userName": created["userName"], "displayName": "after"},
    )
    assert replaced.status_code == 200
    return scim.user(created["id"])["meta"]["created"] != created["meta"]["created"]


@probe("put-creates-unknown")
def _(scim: Scim) -> bool:
    response = scim.put("/Users/unknown-id-42", {"schemas": [USER], "userName": user_name()})
    return response.status_code != 404


@probe("put-ignored")
def _(scim: Scim) -> bool:
    created = scim.create_user(displayName="before")
    replacement = {"schemas": [USER], "userName": created["userName"], "displayName": "after"}
    assert scim.put(f"/Users/{created['id']}", replacement).status_code == 200
    return scim.user(created["id"]).get("displayName") != "after"


@probe("put-keeps-lastmodified")
def _(scim: Scim) -> bool:
    created = scim.create_user(displayName="before")
    time.sleep(0.01)
    replacement = {"schemas": [USER], "userName": created["userName"], "displayName": "after"}
    assert scim.put(f"/Users/{created['id']}", replacement).status_code == 200
    return bool(scim.user(created["id"])["meta"]["lastModified"] == created["meta"]["lastModified"])


# -- patch -------------------------------------------------------------------------------------


@probe("patch-remove-ignored")
def _(scim: Scim) -> bool:
    created = scim.create_user(displayName="to remove")
    response = scim.patch(f"/Users/{created['id']}", {"op": "remove", "path": "displayName"})
    assert response.status_code in (200, 204)
    return "displayName" in scim.user(created["id"])


@probe("patch-valuepath-truncates")
def _(scim: Scim) -> bool:
    emails = [{"value": "w@ex.com", "type": "work"}, {"value": "h@ex.com", "type": "home"}]
    created = scim.create_user(emails=emails)
    op = {"op": "replace", "path": 'emails[type eq "work"].value', "value": "w2@ex.com"}
    assert scim.patch(f"/Users/{created['id']}", op).status_code in (200, 204)
    found = {(e.get("type"), e.get("value")) for e in scim.user(created["id"])["emails"]}
    return found != {("work", "w2@ex.com"), ("home", "h@ex.com")}


@probe("patch-not-atomic")
def _(scim: Scim) -> bool:
    created = scim.create_user(displayName="before", emails=[{"value": "w@ex.com", "type": "work"}])
    response = scim.patch(
        f"/Users/{created['id']}",
        {"op": "replace", "path": "displayName", "value": "after"},
        {"op": "replace", "path": 'emails[type eq "nope"].value', "value": "x@ex.com"},
    )
    assert response.status_code == 400
    return scim.user(created["id"]).get("displayName") != "before"


@probe("patch-pathless-ignored")
def _(scim: Scim) -> bool:
    created = scim.create_user(displayName="before")
    response = scim.patch(
        f"/Users/{created['id']}", {"op": "replace", "value": {"displayName": "X"}}
    )
    assert response.status_code in (200, 204)
    return scim.user(created["id"]).get("displayName") != "X"


@probe("entra-op-case-rejected")
def _(scim: Scim) -> bool:
    created = scim.create_user(displayName="before")
    op = {"op": "Replace", "path": "displayName", "value": "after"}
    response = scim.patch(f"/Users/{created['id']}", op)
    return response.status_code >= 400 or scim.user(created["id"]).get("displayName") != "after"


@probe("entra-string-boolean-rejected")
def _(scim: Scim) -> bool:
    created = scim.create_user(active=True)
    op = {"op": "Replace", "path": "active", "value": "False"}
    response = scim.patch(f"/Users/{created['id']}", op)
    return response.status_code >= 400 or scim.user(created["id"]).get("active") is not False


@probe("entra-dotted-keys-ignored")
def _(scim: Scim) -> bool:
    created = scim.create_user(name={"givenName": "Before"})
    value = {"name.givenName": "After", f"{ENTERPRISE}:employeeNumber": "42"}
    response = scim.patch(f"/Users/{created['id']}", {"op": "replace", "value": value})
    found = scim.user(created["id"])
    return (
        response.status_code >= 400
        or found.get("name", {}).get("givenName") != "After"
        or found.get(ENTERPRISE, {}).get("employeeNumber") != "42"
    )


@probe("patch-urn-path-rejected")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    op = {"op": "add", "path": f"{ENTERPRISE}:employeeNumber", "value": "42"}
    response = scim.patch(f"/Users/{created['id']}", op)
    found = scim.user(created["id"])
    return response.status_code >= 400 or found.get(ENTERPRISE, {}).get("employeeNumber") != "42"


def _emails(*kinds: str, primary: str | None = None) -> list[dict[str, Any]]:
    return [
        {"value": f"{kind}@ex.com", "type": kind, **({"primary": True} if kind == primary else {})}
        for kind in kinds
    ]


def _email_keys(scim: Scim, user_id: str) -> list[tuple[str, str]]:
    return sorted((e["type"], e["value"]) for e in scim.user(user_id).get("emails") or [])


_MALFORMED = {"op": "replace", "path": 'emails[type eq "work"', "value": "x@ex.com"}


@probe("patch-path-case-sensitive")
def _(scim: Scim) -> bool:
    created = scim.create_user(displayName="before")
    op = {"op": "replace", "path": "DISPLAYNAME", "value": "after"}
    response = scim.patch(f"/Users/{created['id']}", op)
    return response.status_code >= 400 or scim.user(created["id"]).get("displayName") != "after"


@probe("patch-readonly-ignored")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    op = {"op": "replace", "path": "id", "value": "not-the-id"}
    return scim.patch(f"/Users/{created['id']}", op).status_code < 400


@probe("patch-noop-touches-lastmodified")
def _(scim: Scim) -> bool:
    created = scim.create_user(displayName="same")
    before = scim.user(created["id"])["meta"]["lastModified"]
    op = {"op": "add", "path": "displayName", "value": "same"}
    assert scim.patch(f"/Users/{created['id']}", op).status_code in (200, 204)
    return bool(scim.user(created["id"])["meta"]["lastModified"] != before)


@probe("patch-add-replaces-multivalued")
def _(scim: Scim) -> bool:
    created = scim.create_user(emails=_emails("work"))
    op = {"op": "add", "path": "emails", "value": _emails("home")}
    assert scim.patch(f"/Users/{created['id']}", op).status_code in (200, 204)
    return _email_keys(scim, created["id"]) != [("home", "home@ex.com"), ("work", "work@ex.com")]


@probe("patch-add-duplicates")
def _(scim: Scim) -> bool:
    created = scim.create_user(emails=_emails("work", "home"))
    op = {"op": "add", "path": "emails", "value": _emails("home")}
    assert scim.patch(f"/Users/{created['id']}", op).status_code in (200, 204)
    return _email_keys(scim, created["id"]) != [("home", "home@ex.com"), ("work", "work@ex.com")]


@probe("patch-complex-replace-clears")
def _(scim: Scim) -> bool:
    created = scim.create_user(name={"givenName": "Given", "familyName": "Family"})
    op = {"op": "replace", "path": "name", "value": {"givenName": "Other"}}
    assert scim.patch(f"/Users/{created['id']}", op).status_code in (200, 204)
    return scim.user(created["id"]).get("name") != {"givenName": "Other", "familyName": "Family"}


@probe("patch-subattribute-ignored")
def _(scim: Scim) -> bool:
    created = scim.create_user(name={"givenName": "Given"})
    op = {"op": "replace", "path": "name.givenName", "value": "Other"}
    assert scim.patch(f"/Users/{created['id']}", op).status_code in (200, 204)
    return scim.user(created["id"]).get("name", {}).get("givenName") != "Other"


@probe("patch-remove-filter-removes-all")
def _(scim: Scim) -> bool:
    created = scim.create_user(emails=_emails("work", "home"))
    op = {"op": "remove", "path": 'emails[type eq "home"]'}
    assert scim.patch(f"/Users/{created['id']}", op).status_code in (200, 204)
    return _email_keys(scim, created["id"]) != [("work", "work@ex.com")]


@probe("patch-primary-not-exclusive")
def _(scim: Scim) -> bool:
    created = scim.create_user(emails=_emails("work", "home", primary="work"))
    op = {"op": "replace", "path": 'emails[type eq "home"].primary', "value": True}
    assert scim.patch(f"/Users/{created['id']}", op).status_code in (200, 204)
    primary = [e["type"] for e in scim.user(created["id"])["emails"] if e.get("primary")]
    return primary != ["home"]


@probe("patch-operations-reversed")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    response = scim.patch(
        f"/Users/{created['id']}",
        {"op": "replace", "path": "displayName", "value": "first"},
        {"op": "replace", "path": "displayName", "value": "last"},
    )
    assert response.status_code in (200, 204)
    return scim.user(created["id"]).get("displayName") != "last"


@probe("patch-200-without-resource")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    op = {"op": "replace", "path": "displayName", "value": "after"}
    response = scim.patch(f"/Users/{created['id']}", op)
    return response.status_code == 200 and not response.content


@probe("patch-attributes-204")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    op = {"op": "replace", "path": "displayName", "value": "after"}
    response = scim.patch(f"/Users/{created['id']}", op, params={"attributes": "displayName"})
    return response.status_code != 200


@probe("patch-invalid-path-ignored")
def _(scim: Scim) -> bool:
    created = scim.create_user(emails=_emails("work"))
    return scim.patch(f"/Users/{created['id']}", _MALFORMED).status_code < 400


@probe("patch-invalid-value-ignored")
def _(scim: Scim) -> bool:
    created = scim.create_user(displayName="before")
    op = {"op": "replace", "path": "displayName", "value": {"value": "an object"}}
    return scim.patch(f"/Users/{created['id']}", op).status_code < 400


@probe("patch-notarget-scimtype")
def _(scim: Scim) -> bool:
    created = scim.create_user(emails=_emails("work"))
    op = {"op": "replace", "path": 'emails[type eq "other"].value', "value": "x@ex.com"}
    response = scim.patch(f"/Users/{created['id']}", op)
    return response.status_code != 400 or response.json().get("scimType") != "noTarget"


@probe("patch-mutability-scimtype")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    response = scim.patch(f"/Users/{created['id']}", {"op": "remove", "path": "userName"})
    return response.status_code < 400 or response.json().get("scimType") != "mutability"


@probe("patch-invalidpath-scimtype")
def _(scim: Scim) -> bool:
    created = scim.create_user(emails=_emails("work"))
    response = scim.patch(f"/Users/{created['id']}", _MALFORMED)
    return response.status_code != 400 or response.json().get("scimType") != "invalidPath"


# -- delete ------------------------------------------------------------------------------------


@probe("delete-still-readable")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    assert scim.delete(f"/Users/{created['id']}").status_code == 204
    listed = scim.search(filter=f'userName eq "{created["userName"]}"')["totalResults"]
    return scim.get(f"/Users/{created['id']}").status_code != 404 or listed != 0


@probe("delete-removes")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    assert scim.delete(f"/Users/{created['id']}").status_code == 204
    response = scim.get(f"/Users/{created['id']}")
    return response.status_code != 200 or response.json().get("active") is not False


@probe("deactivated-hidden")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    assert scim.delete(f"/Users/{created['id']}").status_code == 204
    found = scim.search(filter=f'userName eq "{created["userName"]}"')
    return found["totalResults"] != 1 or len(found.get("Resources") or []) != 1


@probe("delete-answers-200")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    return scim.delete(f"/Users/{created['id']}").status_code != 204


# -- filter, paging, sort ----------------------------------------------------------------------


@probe("filter-ignored")
def _(scim: Scim) -> bool:
    wanted = scim.create_user()
    scim.create_user()
    found = scim.search(filter=f'userName eq "{wanted["userName"]}"')
    return [r["id"] for r in found.get("Resources") or []] != [wanted["id"]]


@probe("filter-case-sensitive")
def _(scim: Scim) -> bool:
    created = scim.create_user(user_name("MiXed"))
    found = scim.search(filter=f'userName co "{created["userName"].upper()}"')
    return [r["id"] for r in found.get("Resources") or []] != [created["id"]]


@probe("filter-invalid-500")
def _(scim: Scim) -> bool:
    response = scim.get("/Users", params={"filter": "userName eq"})
    return response.status_code != 400 or response.json().get("scimType") != "invalidFilter"


def _three_users(scim: Scim) -> list[str]:
    return [scim.create_user(user_name(stem))["id"] for stem in ("m", "c", "x")]


@probe("paging-zero-based")
def _(scim: Scim) -> bool:
    _three_users(scim)
    everything = [r["id"] for r in scim.search()["Resources"]]
    first = scim.search(startIndex=1, count=1)["Resources"]
    return [r["id"] for r in first] != everything[:1]


@probe("paging-count-ignored")
def _(scim: Scim) -> bool:
    _three_users(scim)
    return len(scim.search(count=1).get("Resources") or []) > 1


@probe("paging-total-wrong")
def _(scim: Scim) -> bool:
    _three_users(scim)
    return scim.search(count=1)["totalResults"] != 3


@probe("sort-ignored")
def _(scim: Scim) -> bool:
    _three_users(scim)
    ascending = [r["userName"] for r in scim.search(sortBy="userName")["Resources"]]
    descending = [
        r["userName"] for r in scim.search(sortBy="userName", sortOrder="descending")["Resources"]
    ]
    return ascending != sorted(ascending) or descending != sorted(descending, reverse=True)


@probe("query-no-match-404")
def _(scim: Scim) -> bool:
    response = scim.get("/Users", params={"filter": 'userName eq "nobody@ex.com"'})
    return response.status_code != 200 or response.json().get("totalResults") != 0


@probe("search-body-filter-ignored")
def _(scim: Scim) -> bool:
    wanted = scim.create_user()
    scim.create_user()
    search = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": f'userName eq "{wanted["userName"]}"',
    }
    found = scim.post("/Users/.search", search).json()
    return [r["id"] for r in found.get("Resources") or []] != [wanted["id"]]


@probe("paging-page-elements-missing")
def _(scim: Scim) -> bool:
    _three_users(scim)
    page = scim.search(startIndex=2, count=1)
    return page.get("startIndex") != 2 or page.get("itemsPerPage") != 1


@probe("paging-start-index-below-one-rejected")
def _(scim: Scim) -> bool:
    _three_users(scim)
    return scim.get("/Users", params={"startIndex": "0", "count": "1"}).status_code != 200


@probe("sort-default-descending")
def _(scim: Scim) -> bool:
    _three_users(scim)
    names = [r["userName"] for r in scim.search(sortBy="userName")["Resources"]]
    return names != sorted(names)


@probe("sort-case-sensitive")
def _(scim: Scim) -> bool:
    for display_name in ("carol", "Bob", "alice"):
        scim.create_user(displayName=display_name)
    found = scim.search(sortBy="displayName", sortOrder="ascending")["Resources"]
    return [r["displayName"] for r in found] != ["alice", "Bob", "carol"]


# -- projection, etag, errors ------------------------------------------------------------------


@probe("attributes-ignored")
def _(scim: Scim) -> bool:
    created = scim.create_user(displayName="Shown")
    found = scim.get(f"/Users/{created['id']}", params={"attributes": "userName"}).json()
    return "displayName" in found


@probe("excluded-attributes-removes-id")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    found = scim.get(f"/Users/{created['id']}", params={"excludedAttributes": "id"}).json()
    return found.get("id") != created["id"]


@probe("excluded-attributes-ignored-on-list")
def _(scim: Scim) -> bool:
    created = scim.create_user(emails=[{"value": "w@ex.com", "type": "work"}])
    found = scim.search(filter=f'userName eq "{created["userName"]}"', excludedAttributes="emails")[
        "Resources"
    ]
    return any("emails" in resource for resource in found)


@probe("etag-if-match-ignored")
def _(scim: Scim) -> bool:
    created = scim.create_user(displayName="before")
    op = {"op": "replace", "path": "displayName", "value": "after"}
    response = scim.patch(f"/Users/{created['id']}", op, headers={"If-Match": 'W/"stale"'})
    return response.status_code != 412


@probe("etag-header-missing")
def _(scim: Scim) -> bool:
    created = scim.create_user()
    response = scim.get(f"/Users/{created['id']}")
    return response.headers.get("etag") != response.json()["meta"]["version"]


@probe("error-status-integer")
def _(scim: Scim) -> bool:
    return not isinstance(scim.get("/Users/no-such-user-id").json().get("status"), str)


# -- extension ---------------------------------------------------------------------------------


@probe("extension-dropped-on-put")
def _(scim: Scim) -> bool:
    extension = {"employeeNumber": "701984", "department": "Tour Operations"}
    created = scim.create_user(**{ENTERPRISE: extension})
    replacement = {
        "schemas": [USER, ENTERPRISE],
        "userName": created["userName"],
        ENTERPRISE: {**extension, "department": "Theme Park"},
    }
    assert scim.put(f"/Users/{created['id']}", replacement).status_code == 200
    return scim.user(created["id"]).get(ENTERPRISE) != replacement[ENTERPRISE]


@probe("extension-not-advertised")
def _(scim: Scim) -> bool:
    created = scim.create_user(**{ENTERPRISE: {"employeeNumber": "1"}})
    resource_type = scim.get("/ResourceTypes/User").json()
    allowed = {resource_type["schema"]} | {
        extension["schema"] for extension in resource_type.get("schemaExtensions") or []
    }
    return not set(scim.user(created["id"])["schemas"]) <= allowed


@probe("extension-missing-in-lists")
def _(scim: Scim) -> bool:
    created = scim.create_user(**{ENTERPRISE: {"employeeNumber": "42"}})
    found = scim.search(filter=f'userName eq "{created["userName"]}"')["Resources"]
    return [r.get(ENTERPRISE, {}).get("employeeNumber") for r in found] != ["42"]


# -- security ----------------------------------------------------------------------------------


@probe("auth-not-enforced")
def _(scim: Scim) -> bool:
    url = scim.server.base_url + "/Users"
    with raw_client() as http:
        anonymous = http.get(url)
        wrong = http.get(url, headers={"Authorization": "Bearer not-the-token"})
    return anonymous.status_code != 401 or wrong.status_code != 401


@probe("www-authenticate-missing")
def _(scim: Scim) -> bool:
    with raw_client() as http:
        response = http.get(scim.server.base_url + "/Users")
    assert response.status_code == 401
    return not response.headers.get("www-authenticate")


@probe("token-expiry-ignored")
def _(scim: Scim) -> bool:
    server = scim.server
    with raw_client() as http:
        issued = http.post(
            server.token_url,
            auth=(server.client_id, server.client_secret),
            data={"grant_type": "client_credentials", "scope": "api"},
        ).json()
        assert issued["expires_in"] == 1
        time.sleep(1.1)
        headers = {"Authorization": f"Bearer {issued['access_token']}"}
        return http.get(server.base_url + "/Users", headers=headers).status_code != 401


# -- integrity ---------------------------------------------------------------------------------


@probe("non-ascii-mangled")
def _(scim: Scim) -> bool:
    created = scim.create_user(displayName="Zoë Ångström 山田")
    return scim.user(created["id"]).get("displayName") != "Zoë Ångström 山田"


@probe("case-exact-altered")
def _(scim: Scim) -> bool:
    created = scim.create_user(externalId="MiXeD-701984")
    return scim.user(created["id"]).get("externalId") != "MiXeD-701984"


# -- groups and bulk ---------------------------------------------------------------------------


@probe("group-displayname-optional")
def _(scim: Scim) -> bool:
    return scim.post("/Groups", {"schemas": [GROUP]}).status_code != 400


@probe("bulk-bulkid-missing")
def _(scim: Scim) -> bool:
    bulk = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
        "Operations": [
            {
                "method": "POST",
                "path": "/Users",
                "bulkId": "qwerty",
                "data": {"schemas": [USER], "userName": user_name()},
            }
        ],
    }
    response = scim.post("/Bulk", bulk)
    assert response.status_code == 200
    return response.json()["Operations"][0].get("bulkId") != "qwerty"


def _bulk(scim: Scim, *operations: dict[str, Any]) -> httpx.Response:
    request = {"schemas": [BULK_REQUEST], "Operations": list(operations)}
    return scim.post("/Bulk", request)


def _bulk_user(bulk_id: str, name: str) -> dict[str, Any]:
    data = {"schemas": [USER], "userName": name}
    return {"method": "POST", "path": "/Users", "bulkId": bulk_id, "data": data}


@probe("bulk-stops-on-error")
def _(scim: Scim) -> bool:
    name = user_name()
    failing = {"method": "DELETE", "path": "/Users/no-such-user-id"}
    assert _bulk(scim, failing, _bulk_user("b", name)).status_code == 200
    return scim.search(filter=f'userName eq "{name}"')["totalResults"] != 1


@probe("bulk-bulkid-reference-unresolved")
def _(scim: Scim) -> bool:
    group = {"schemas": [GROUP], "displayName": "g", "members": [{"value": "bulkId:u1"}]}
    response = _bulk(
        scim,
        _bulk_user("u1", user_name()),
        {"method": "POST", "path": "/Groups", "bulkId": "g1", "data": group},
    )
    assert response.status_code == 200
    results = {r.get("bulkId"): r for r in response.json()["Operations"]}
    user_id = str(results["u1"]["location"]).rstrip("/").rpartition("/")[2]
    found = scim.get(str(results["g1"].get("location") or "/Groups/none"))
    members = (found.json().get("members") or []) if found.status_code == 200 else []
    return [m.get("value") for m in members] != [user_id]


@probe("bulk-limit-unnamed")
def _(scim: Scim) -> bool:
    operation = {"method": "DELETE", "path": "/Users/no-such-user-id"}
    response = _bulk(scim, *[operation] * 1001)
    assert response.status_code == 413
    return "1000" not in response.text and "maxoperations" not in response.text.lower()
