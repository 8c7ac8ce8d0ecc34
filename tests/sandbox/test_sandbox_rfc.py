"""The rfc flavour: a conformant SCIM 2.0 server at /v2, behind a bearer token."""

from __future__ import annotations

from sandbox_helpers import ENTERPRISE, ERROR, GROUP, LIST, USER, Scim, raw_client, user_name

from conformance.sandbox import SandboxServer, start_sandbox


def test_urls_and_credentials(rfc: SandboxServer) -> None:
    assert rfc.flavour == "rfc" and rfc.faults == ()
    assert rfc.project_url.startswith("http://127.0.0.1:")
    assert rfc.base_url == rfc.project_url + "/v2"
    assert rfc.token_url == rfc.project_url + "/oauth2/server/token"
    assert len(rfc.token) >= 32 and rfc.client_id and rfc.client_secret


def test_a_given_token_is_used() -> None:
    with start_sandbox("rfc", token="my-static-token") as server, Scim(server) as scim:
        assert server.token == "my-static-token"
        assert scim.get("/Users").status_code == 200


def test_discovery(rfc_scim: Scim) -> None:
    spc = rfc_scim.get("/ServiceProviderConfig")
    assert spc.headers["content-type"].startswith("application/scim+json")
    config = spc.json()
    assert config["schemas"] == ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]
    for feature in ("patch", "bulk", "filter", "sort", "etag", "changePassword"):
        assert config[feature]["supported"] is True, feature
    assert [s["type"] for s in config["authenticationSchemes"]] == ["oauthbearertoken"]

    types = {t["name"]: t for t in rfc_scim.get("/ResourceTypes").json()["Resources"]}
    assert set(types) == {"User", "Group"}
    assert types["User"]["schemaExtensions"] == [{"schema": ENTERPRISE, "required": False}]
    schemas = {s["id"] for s in rfc_scim.get("/Schemas").json()["Resources"]}
    assert schemas == {USER, GROUP, ENTERPRISE}
    assert rfc_scim.get(f"/Schemas/{USER}").json()["id"] == USER


def test_user_lifecycle(rfc_scim: Scim) -> None:
    name = user_name("bjensen")
    created = rfc_scim.post(
        "/Users",
        {
            "schemas": [USER, ENTERPRISE],
            "userName": name,
            "externalId": "bjensen",
            "name": {"givenName": "Barbara", "familyName": "Jensen"},
            "emails": [{"value": "b@ex.com", "type": "work", "primary": True}],
            "password": "t1meMa$heen",
            ENTERPRISE: {"employeeNumber": "701984"},
        },
    )
    assert created.status_code == 201
    user = created.json()
    assert created.headers["location"] == user["meta"]["location"]
    assert created.headers["etag"] == user["meta"]["version"]
    assert user["meta"]["resourceType"] == "User" and "password" not in user

    path = f"/Users/{user['id']}"
    fetched = rfc_scim.get(path)
    assert fetched.status_code == 200 and fetched.json()["userName"] == name
    assert fetched.headers["etag"] == fetched.json()["meta"]["version"]

    replaced = rfc_scim.put(path, {"schemas": [USER], "userName": name, "displayName": "Babs"})
    assert replaced.status_code == 200 and replaced.json()["displayName"] == "Babs"
    assert replaced.json()["meta"]["created"] == user["meta"]["created"]

    patched = rfc_scim.patch(path, {"op": "replace", "path": "displayName", "value": "B. J."})
    assert patched.status_code == 204
    assert rfc_scim.user(user["id"])["displayName"] == "B. J."

    found = rfc_scim.search(filter=f'userName eq "{name.upper()}"')
    assert found["schemas"] == [LIST] and found["totalResults"] == 1

    assert rfc_scim.delete(path).status_code == 204
    gone = rfc_scim.get(path)
    assert gone.status_code == 404 and gone.json()["schemas"] == [ERROR]
    assert gone.json()["status"] == "404"
    assert rfc_scim.search(filter=f'userName eq "{name}"')["totalResults"] == 0


def test_duplicate_user_name_conflicts(rfc_scim: Scim) -> None:
    name = user_name()
    rfc_scim.create_user(name)
    again = rfc_scim.post("/Users", {"schemas": [USER], "userName": name})
    assert again.status_code == 409 and again.json()["scimType"] == "uniqueness"


def test_conditional_requests(rfc_scim: Scim) -> None:
    user = rfc_scim.create_user()
    path, version = f"/Users/{user['id']}", user["meta"]["version"]
    assert rfc_scim.get(path, headers={"If-None-Match": version}).status_code == 304
    op = {"op": "replace", "path": "displayName", "value": "x"}
    assert rfc_scim.patch(path, op, headers={"If-Match": 'W/"stale"'}).status_code == 412
    assert rfc_scim.patch(path, op, headers={"If-Match": version}).status_code == 204


def test_groups_and_members(rfc_scim: Scim) -> None:
    user = rfc_scim.create_user()
    group = rfc_scim.post("/Groups", {"schemas": [GROUP], "displayName": "Tour Guides"})
    assert group.status_code == 201
    path = f"/Groups/{group.json()['id']}"
    member = {"op": "add", "path": "members", "value": [{"value": user["id"]}]}
    assert rfc_scim.patch(path, member).status_code == 204
    assert [m["value"] for m in rfc_scim.get(path).json()["members"]] == [user["id"]]
    no_name = rfc_scim.post("/Groups", {"schemas": [GROUP]})
    assert no_name.status_code == 400


def test_bulk(rfc_scim: Scim) -> None:
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
    response = rfc_scim.post("/Bulk", bulk)
    assert response.status_code == 200
    [operation] = response.json()["Operations"]
    assert operation["bulkId"] == "qwerty" and operation["status"] == "201"


def test_authentication_is_required(rfc: SandboxServer) -> None:
    with raw_client() as http:
        anonymous = http.get(rfc.base_url + "/Users")
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"].startswith("Bearer")
        assert anonymous.json()["status"] == "401"
        wrong = http.get(rfc.base_url + "/Users", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert 'error="invalid_token"' in wrong.headers["www-authenticate"]
        # Authentication comes first, whatever else is wrong with the request.
        bad_body = http.post(rfc.base_url + "/Users", json={"schemas": [USER], "userName": ""})
        assert bad_body.status_code == 401
        # RFC 7643 §5: the configuration (and its authenticationSchemes) is readable openly.
        assert http.get(rfc.base_url + "/ServiceProviderConfig").status_code == 200


def test_the_token_endpoint_works_in_rfc_too(rfc: SandboxServer) -> None:
    with raw_client() as http:
        issued = http.post(
            rfc.token_url,
            auth=(rfc.client_id, rfc.client_secret),
            data={"grant_type": "client_credentials", "scope": "api"},
        )
        assert issued.status_code == 200
        headers = {"Authorization": f"Bearer {issued.json()['access_token']}"}
        assert http.get(rfc.base_url + "/Users", headers=headers).status_code == 200


def test_capitalised_patch_ops_are_accepted(rfc_scim: Scim) -> None:
    # RFC 7644 §3.5.2 names the values "add", "remove" and "replace" without saying whether
    # they are case-sensitive; scim2-server accepts any case, as Entra ID needs.
    user = rfc_scim.create_user(displayName="before")
    op = {"op": "Replace", "path": "displayName", "value": "after"}
    assert rfc_scim.patch(f"/Users/{user['id']}", op).status_code == 204
    assert rfc_scim.user(user["id"])["displayName"] == "after"


def test_an_empty_user_name_is_refused(rfc_scim: Scim) -> None:
    # RFC 7643 §4.1.1: "Each User MUST include a non-empty userName value." scim2-server 0.8.3
    # accepts "", so the sandbox checks it before the server does.
    for name in ("", "   "):
        response = rfc_scim.post("/Users", {"schemas": [USER], "userName": name})
        assert response.status_code == 400 and response.json()["scimType"] == "invalidValue"
    user = rfc_scim.create_user()
    op = {"op": "replace", "path": "userName", "value": ""}
    assert rfc_scim.patch(f"/Users/{user['id']}", op).status_code == 400
