"""Hand-made RunResults for the report tests: every outcome, hostile server content, evidence."""

from __future__ import annotations

import copy
from typing import Any

from conformance.results import CheckResult, RunResults

HOSTILE = '<script>alert("x")</script><img src="https://evil.example/p.png">'
FAILED_ID = "create/location-header"
WARNING_ID = "read/etag-header"


def exchange(seq: int, method: str, path: str, status: int, body: str | None) -> dict[str, Any]:
    url = f"http://127.0.0.1:8080/v2{path}"
    return {
        "seq": seq,
        "method": method,
        "url": url,
        "request_headers": {
            "accept": "application/scim+json",
            "content-type": "application/scim+json",
            "authorization": "Bearer [redacted]",
        },
        "request_body": '{"userName": "scimabcde001@example.com", "password": "[redacted]"}'
        if method == "POST"
        else None,
        "status": status,
        "reason": "Created" if status == 201 else "OK",
        "response_headers": {"content-type": "application/scim+json", "x-note": HOSTILE},
        "response_body": body,
        "elapsed_ms": 12.5,
        "error": None,
        "curl": f"curl -sS -X {method} -H \"Authorization: Bearer $SCIM_TOKEN\" '{url}'",
    }


def check(
    id: str, ref: str, level: str, outcome: str, message: str = "", **extra: Any
) -> CheckResult:
    doc, _, section = ref.partition(" §")
    base = {
        "RFC7643": "https://www.rfc-editor.org/rfc/rfc7643",
        "RFC7644": "https://www.rfc-editor.org/rfc/rfc7644",
    }.get(doc)
    return CheckResult(
        id=id,
        requirement_id=id.split("[", 1)[0],
        requirement=ref,
        level=level,
        statement=f"statement of {id}",
        outcome=outcome,  # type: ignore[arg-type]
        message=message,
        url=f"{base}#section-{section}" if base else None,
        area=id.split("/", 1)[0],
        duration_ms=10.0,
        **extra,
    )


def make_results(**meta: Any) -> RunResults:
    """Seven checks over RFC7643, RFC7644 and a profile document; one of each outcome."""
    hostile_body = '{"id": "u1", "note": "' + HOSTILE.replace('"', '\\"') + '"}'
    checks = [
        check(
            FAILED_ID,
            "RFC7644 §3.3",
            "MUST",
            "failed",
            "POST /v2/Users answered 201 without a Location header.\nActual: 201 Created",
            evidence=[exchange(7, "POST", "/Users", 201, hostile_body)],
        ),
        check(
            WARNING_ID,
            "RFC7644 §3.14",
            "SHOULD",
            "warning",
            "GET /v2/Users/u1 answered without an ETag header.",
            evidence=[exchange(9, "GET", "/Users/u1", 200, '{"id": "u1"}')],
        ),
        check(
            "filter/eq",
            "RFC7644 §3.4.2.2",
            "MUST",
            "skipped",
            "not advertised: ServiceProviderConfig filter.supported is not true",
        ),
        check(
            "patch/op[add]",
            "RFC7644 §3.5.2",
            "MUST",
            "passed",
            evidence=[exchange(11, "GET", "/Users/u1", 200, '{"id": "u1"}')],
        ),
        check("discovery/spc-get", "RFC7644 §4", "MUST", "passed"),
        check(
            "read/password-never-returned",
            "RFC7643 §4.1.1",
            "MUST",
            "error",
            "ConnectError: connection refused",
        ),
        check("bizagi/delete-deactivates", "Bizagi §DELETE", "MUST", "passed"),
    ]
    base_meta = {
        "tool": "scim-conformance",
        "version": "0.1.0",
        "target": "http://127.0.0.1:8080/v2",
        "sandbox": None,
        "profile": "generic",
        "profile_source": "built-in",
        "run_id": "abcde",
        "seed": 4242,
        "read_only": False,
        "fail_on": "must",
        "select": None,
        "started_at": "2026-01-02T10:00:00+00:00",
        "finished_at": "2026-01-02T10:01:05+00:00",
        "requests": 42,
    }
    base_meta.update(meta)
    return RunResults(
        meta=base_meta,
        checks=checks,
        capabilities={
            "features": {
                "patch": True,
                "bulk": False,
                "filter": False,
                "sort": False,
                "etag": True,
                "changePassword": False,
            },
            "filter_max_results": None,
            "bulk": {},
            "resource_types": {
                "User": {
                    "endpoint": "/Users",
                    "schema": "urn:ietf:params:scim:schemas:core:2.0:User",
                    "extensions": {},
                }
            },
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "authentication_schemes": ["oauthbearertoken"],
            "problems": [],
        },
        resources={
            "users_created": 3,
            "user_budget": 50,
            "created": 3,
            "left_behind": [
                {
                    "resource_type": "User",
                    "id": "u9",
                    "name": "scimabcde009",
                    "state": "deactivated",
                }
            ],
            "ledger": "ledger.jsonl",
        },
    )


def with_outcomes(results: RunResults, outcomes: dict[str, str]) -> RunResults:
    """A copy of the results with some checks' outcomes changed."""
    changed = copy.deepcopy(results)
    for item in changed.checks:
        if item.id in outcomes:
            item.outcome = outcomes[item.id]  # type: ignore[assignment]
    return changed
