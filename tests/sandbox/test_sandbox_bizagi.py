"""The bizagi flavour: a twin of Bizagi's SCIM API, as Entra ID provisions it."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest
from sandbox_helpers import BIZAGI, ENTERPRISE, USER, Scim, raw_client, user_name

from conformance.sandbox import SandboxServer, start_sandbox


def _token(server: SandboxServer, **form: str) -> tuple[int, dict[str, object]]:
    data = {"grant_type": "client_credentials", "scope": "api", **form}
    with raw_client() as http:
        response = http.post(
            server.token_url, auth=(server.client_id, server.client_secret), data=data
        )
    return response.status_code, response.json()


def test_urls(bizagi: SandboxServer) -> None:
    assert bizagi.base_url == bizagi.project_url + "/scim/v2"
    assert bizagi.token_url == bizagi.project_url + "/oauth2/server/token"
    with raw_client() as http:
        outside = http.get(bizagi.project_url + "/v2/Users")
    assert outside.status_code == 404


def test_the_token_endpoint_answers_as_bizagi(bizagi: SandboxServer) -> None:
    status, issued = _token(bizagi, scope="api usersync")
    assert status == 200
    assert issued["token_type"] == "bearer" and issued["http_status_code"] == 200
    assert issued["expires_in"] == 3600 and issued["scope"] == "api usersync"
    with Scim(bizagi, token=str(issued["access_token"])) as scim:
        assert scim.get("/Users").status_code == 200


def test_the_token_endpoint_refuses(bizagi: SandboxServer) -> None:
    form = {"grant_type": "client_credentials", "scope": "api"}
    with raw_client() as http:
        bad = http.post(bizagi.token_url, auth=(bizagi.client_id, "wrong"), data=form)
        assert bad.status_code == 401 and bad.json() == {"error": "invalid_client"}
        anonymous = http.post(bizagi.token_url, data=form)
        assert anonymous.status_code == 401
        assert http.get(bizagi.token_url).status_code == 405
    assert _token(bizagi, grant_type="password")[1] == {"error": "unsupported_grant_type"}
    assert _token(bizagi, scope="odata")[1] == {"error": "invalid_scope"}


def test_issued_tokens_expire_but_the_static_one_does_not() -> None:
    with start_sandbox("bizagi", token_lifetime=1) as server:
        status, issued = _token(server)
        assert status == 200 and issued["expires_in"] == 1
        with Scim(server, token=str(issued["access_token"])) as scim:
            assert scim.get("/Users").status_code == 200
            time.sleep(1.1)
            expired = scim.get("/Users")
            assert expired.status_code == 401 and expired.json()["status"] == "401"
        with Scim(server) as scim:
            assert scim.get("/Users").status_code == 200


def test_discovery_says_what_it_does(bizagi_scim: Scim) -> None:
    config = bizagi_scim.get("/ServiceProviderConfig").json()
    assert config["bulk"]["supported"] is False
    assert config["filter"] == {"supported": True, "maxResults": 500}
    assert config["patch"]["supported"] and config["sort"]["supported"]
    assert config["etag"]["supported"]
    assert {s["type"] for s in config["authenticationSchemes"]} == {"oauth2", "oauthbearertoken"}

    [user_type] = bizagi_scim.get("/ResourceTypes").json()["Resources"]
    assert user_type["name"] == "User" and user_type["schema"] == USER
    assert {"schema": BIZAGI, "required": False} in user_type["schemaExtensions"]
    extension = bizagi_scim.get(f"/Schemas/{BIZAGI}").json()
    names = {a["name"]: a["type"] for a in extension["attributes"]}
    assert names == {
        "enabledForAssignation": "boolean",
        "DelegateEnabled": "boolean",
        "createdCasesSkipAssigRules": "boolean",
        "costCenter": "string",
    }
    assert bizagi_scim.get("/Groups").status_code == 404
    assert bizagi_scim.post("/Bulk", {}).status_code == 501


def test_users_are_addressed_by_user_name(bizagi_scim: Scim) -> None:
    user = bizagi_scim.create_user("MarkW@dom.com", displayName="Mark")
    for key in ("MarkW@dom.com", "markw@DOM.COM", "MarkW", user["id"]):
        response = bizagi_scim.get(f"/Users/{quote(key)}")
        assert response.status_code == 200, key
        assert response.json()["id"] == user["id"]
    op = {"op": "replace", "path": "displayName", "value": "Mark W."}
    assert bizagi_scim.patch("/Users/MarkW%40dom.com", op).status_code == 204
    replaced = bizagi_scim.put(
        "/Users/markw@dom.com", {"schemas": [USER], "userName": "MarkW@dom.com", "title": "CEO"}
    )
    assert replaced.status_code == 200 and replaced.json()["id"] == user["id"]
    assert bizagi_scim.get("/Users/nobody%40dom.com").status_code == 404


def test_delete_only_deactivates(bizagi_scim: Scim) -> None:
    user = bizagi_scim.create_user(active=True)
    deleted = bizagi_scim.delete(f"/Users/{quote(user['userName'])}")
    assert deleted.status_code == 204 and deleted.content == b""
    after = bizagi_scim.user(user["id"])
    assert after["active"] is False
    found = bizagi_scim.search(filter=f'userName eq "{user["userName"]}"')
    assert found["totalResults"] == 1 and found["Resources"][0]["active"] is False
    assert user["id"] in {r["id"] for r in bizagi_scim.search()["Resources"]}
    op = {"op": "replace", "path": "active", "value": True}
    assert bizagi_scim.patch(f"/Users/{user['id']}", op).status_code == 204
    assert bizagi_scim.user(user["id"])["active"] is True


def test_extension_values_round_trip(bizagi_scim: Scim) -> None:
    properties = {"enabledForAssignation": True, "DelegateEnabled": False, "costCenter": "CC-1"}
    user = bizagi_scim.create_user(**{BIZAGI: properties})
    assert BIZAGI in user["schemas"] and user[BIZAGI] == properties
    path = f"/Users/{user['id']}"
    assert bizagi_scim.user(user["id"])[BIZAGI] == properties

    replacement = {
        "schemas": [USER, BIZAGI],
        "userName": user["userName"],
        BIZAGI: {**properties, "createdCasesSkipAssigRules": True},
    }
    assert bizagi_scim.put(path, replacement).json()[BIZAGI]["createdCasesSkipAssigRules"]

    full_path = {"op": "replace", "path": f"{BIZAGI}:enabledForAssignation", "value": False}
    container = {"op": "add", "value": {BIZAGI: {"costCenter": "CC-2"}}}
    assert bizagi_scim.patch(path, full_path, container).status_code == 204
    stored = bizagi_scim.user(user["id"])[BIZAGI]
    assert stored["enabledForAssignation"] is False and stored["costCenter"] == "CC-2"

    listed = bizagi_scim.search(filter=f'{BIZAGI}:costCenter eq "cc-2"')
    assert [r[BIZAGI]["costCenter"] for r in listed["Resources"]] == ["CC-2"]


@pytest.mark.parametrize(
    ("name", "accepted"),
    [
        ("a" * 18 + "@dom.com", False),  # 26 characters
        ("a" * 17 + "@dom.com", True),  # 25 characters
        ("no-domain", False),
        ("@dom.com", False),
        ("user@", False),
    ],
)
def test_user_name_rules(bizagi_scim: Scim, name: str, accepted: bool) -> None:
    response = bizagi_scim.post("/Users", {"schemas": [USER], "userName": name})
    if accepted:
        assert response.status_code == 201
    else:
        assert response.status_code == 400 and response.json()["scimType"] == "invalidValue"


def test_user_name_rules_apply_to_updates_and_are_configurable(bizagi_scim: Scim) -> None:
    user = bizagi_scim.create_user()
    op = {"op": "Replace", "path": "userName", "value": "b" * 30 + "@dom.com"}
    assert bizagi_scim.patch(f"/Users/{user['id']}", op).status_code == 400
    with start_sandbox("bizagi", username_max_length=40) as server, Scim(server) as scim:
        assert scim.post("/Users", {"schemas": [USER], "userName": "b" * 30 + "@d.com"}).is_success


def test_paging_defaults_to_100_and_caps_count_at_500(bizagi_scim: Scim) -> None:
    documents = [{"schemas": [USER], "userName": user_name("p")} for _ in range(501)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = set(pool.map(lambda d: bizagi_scim.post("/Users", d).status_code, documents))
    assert statuses == {201}
    default = bizagi_scim.search()
    assert default["totalResults"] == 501 and default["itemsPerPage"] == 100
    capped = bizagi_scim.search(count=1000)
    assert capped["itemsPerPage"] == 500 and len(capped["Resources"]) == 500


def test_entra_dialect_is_accepted(bizagi_scim: Scim) -> None:
    # Microsoft's documented create request, with meta, roles and the enterprise schema.
    created = bizagi_scim.post(
        "/Users",
        {
            "schemas": [USER, ENTERPRISE],
            "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
            "userName": "Test_User@contoso.com",
            "active": True,
            "emails": [{"primary": True, "type": "work", "value": "Test_User@contoso.com"}],
            "meta": {"resourceType": "User"},
            "name": {"formatted": "givenName familyName", "familyName": "f", "givenName": "g"},
            "roles": [],
        },
    )
    assert created.status_code == 201, created.text
    path = f"/Users/{created.json()['id']}"
    operations = [
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "new@contoso.com"},
        {"op": "Add", "path": "nickName", "value": "Babs"},
        {"op": "Replace", "path": "active", "value": "False"},
        {
            "op": "replace",
            "value": {
                "displayName": "Test User",
                "name.givenName": "Given",
                f"{ENTERPRISE}:employeeNumber": "42",
                f"{BIZAGI}:enabledForAssignation": "True",
            },
        },
        {"op": "Remove", "path": "nickName"},
    ]
    assert bizagi_scim.patch(path, *operations).status_code == 204
    user = bizagi_scim.get(path).json()
    assert user["emails"][0]["value"] == "new@contoso.com" and "nickName" not in user
    assert user["active"] is False and user["displayName"] == "Test User"
    assert user["name"]["givenName"] == "Given" and user[ENTERPRISE]["employeeNumber"] == "42"
    assert user[BIZAGI]["enabledForAssignation"] is True
    reactivate = {"op": "Replace", "path": "active", "value": "True"}
    assert bizagi_scim.patch(path, reactivate).status_code == 204
    assert bizagi_scim.get(path).json()["active"] is True
