"""Faults of queries: filter, paging, sort, projection, and Bizagi's logical delete."""

from __future__ import annotations

import json
import re
from typing import Any
from wsgiref.types import WSGIEnvironment

from scim2_server.routing import Operation, Target

from conformance.sandbox import wsgi
from conformance.sandbox.defects.base import (
    FaultLayer,
    drop_search_parameters,
    edit_json,
    parameter,
    resources_of,
    search_parameters,
)
from conformance.sandbox.provider import USER_URN

_COMPARISON = re.compile(
    r'^\s*(?P<attribute>[A-Za-z][\w$.:-]*)\s+(?P<op>eq|co|sw|ew)\s+"(?P<value>(?:[^"\\]|\\.)*)"\s*$',
    re.IGNORECASE,
)


def _lookup(document: dict[str, Any], name: str) -> Any:
    return next((v for k, v in document.items() if k.lower() == name.lower()), None)


def _string_values(document: dict[str, Any], attribute_path: str) -> list[str] | None:
    """The string values an attribute path holds in a resource, None when it is unknown."""
    node: Any = document
    path = attribute_path
    if path.lower().startswith("urn:"):
        schema, _, path = path.rpartition(":")
        if schema.lower() != USER_URN.lower():
            node = _lookup(document, schema)
    values: list[Any] = [node]
    for part in path.split("."):
        following: list[Any] = []
        for value in values:
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    found = _lookup(item, part)
                    if found is not None:
                        following.extend(found if isinstance(found, list) else [found])
        values = following
    strings = [value for value in values if isinstance(value, str)]
    return strings if strings and len(strings) == len(values) else None


def _matches_exactly(op: str, expected: str, actual: str) -> bool:
    return {
        "eq": actual == expected,
        "co": expected in actual,
        "sw": actual.startswith(expected),
        "ew": actual.endswith(expected),
    }[op]


class DeactivatedHidden(FaultLayer):
    """The ``deactivated-hidden`` fault (Bizagi: deactivated users stay listed).

    Users with active false vanish from list and filter results.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation not in wsgi.SEARCHES or response.status != 200:
            return response

        def active(resource: dict[str, Any]) -> bool:
            stored = self.storage.document(str(resource.get("id")))
            return stored is None or stored.get("active") is not False

        def edit(document: Any) -> None:
            listed = resources_of(document, found)
            kept = [resource for resource in listed if active(resource)]
            document["Resources"] = kept
            document["itemsPerPage"] = len(kept)
            document["totalResults"] = max(
                0, document.get("totalResults", 0) - (len(listed) - len(kept))
            )

        return edit_json(response, edit)


class FilterIgnored(FaultLayer):
    """The ``filter-ignored`` fault (RFC7644 §3.4.2.2).

    The filter parameter is ignored: every resource is returned.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if found.operation in wsgi.SEARCHES:
            drop_search_parameters(environ, found, "filter")
        return None


class FilterCaseSensitive(FaultLayer):
    """The ``filter-case-sensitive`` fault (RFC7644 §3.4.2.2).

    Eq/co/sw/ew compare case-sensitively on caseExact=false attributes (userName).
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation not in wsgi.SEARCHES or response.status != 200:
            return response
        text = parameter(search_parameters(environ, found), "filter")
        comparison = _COMPARISON.match(text) if isinstance(text, str) else None
        if comparison is None:
            return response
        op = comparison["op"].lower()
        try:
            expected = json.loads(f'"{comparison["value"]}"')
        except ValueError:
            return response

        def matches(resource: dict[str, Any]) -> bool:
            stored = self.storage.document(str(resource.get("id"))) or resource
            values = _string_values(stored, comparison["attribute"])
            return values is None or any(_matches_exactly(op, expected, v) for v in values)

        def edit(document: Any) -> None:
            listed = resources_of(document, found)
            kept = [resource for resource in listed if matches(resource)]
            document["Resources"] = kept
            document["itemsPerPage"] = len(kept)
            document["totalResults"] = max(
                0, document.get("totalResults", 0) - (len(listed) - len(kept))
            )

        return edit_json(response, edit)


class FilterInvalid500(FaultLayer):
    """The ``filter-invalid-500`` fault (RFC7644 §3.4.2.2).

    An invalid filter answers 500 instead of 400 invalidFilter.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        document = response.json() if response.status == 400 else None
        if isinstance(document, dict) and document.get("scimType") == "invalidFilter":
            return wsgi.scim_error(500, "Internal server error")
        return response


class PagingZeroBased(FaultLayer):
    """The ``paging-zero-based`` fault (RFC7644 §3.4.2.4).

    StartIndex is applied 0-based: startIndex=1 skips the first result.
    """

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        found = wsgi.target(environ)
        if found is None or found.operation not in wsgi.SEARCHES:
            return self.forward(environ)
        start = parameter(search_parameters(environ, found), "startIndex")
        try:
            asked = int(start)
        except (TypeError, ValueError):
            return self.forward(environ)
        if found.operation is Operation.search:
            parameters = {k: v for k, v in wsgi.query(environ).items() if k.lower() != "startindex"}
            wsgi.set_query(environ, {**parameters, "startIndex": str(max(asked, 0) + 1)})
        else:
            document = search_parameters(environ, found)
            document = {k: v for k, v in document.items() if k.lower() != "startindex"}
            wsgi.set_json_body(environ, {**document, "startIndex": max(asked, 0) + 1})
        response = self.forward(environ)
        return edit_json(
            response,
            lambda document: (
                document.update(startIndex=max(asked, 1))
                if isinstance(document, dict) and "startIndex" in document
                else None
            ),
        )


class PagingCountIgnored(FaultLayer):
    """The ``paging-count-ignored`` fault (RFC7644 §3.4.2.4).

    The count parameter is ignored: more results than asked are returned.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if found.operation in wsgi.SEARCHES:
            drop_search_parameters(environ, found, "count")
        return None


class PagingTotalWrong(FaultLayer):
    """The ``paging-total-wrong`` fault (RFC7644 §3.4.2.4).

    TotalResults is the size of the page, not the number of matching resources.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation in wsgi.SEARCHES and response.status == 200:
            edit_json(
                response,
                lambda document: document.update(totalResults=len(document.get("Resources") or [])),
            )
        return response


class SortIgnored(FaultLayer):
    """The ``sort-ignored`` fault (RFC7644 §3.4.2.3).

    SortBy and sortOrder are ignored although sort.supported is true.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if found.operation in wsgi.SEARCHES:
            drop_search_parameters(environ, found, "sortBy", "sortOrder")
        return None


class AttributesIgnored(FaultLayer):
    """The ``attributes-ignored`` fault (RFC7644 §3.9).

    The attributes parameter is ignored on GET: full resources are returned.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if found.operation is Operation.query:
            parameters = {k: v for k, v in wsgi.query(environ).items() if k.lower() != "attributes"}
            wsgi.set_query(environ, parameters)
        elif found.operation in wsgi.SEARCHES:
            drop_search_parameters(environ, found, "attributes")
        return None


class ExcludedAttributesRemovesId(FaultLayer):
    """The ``excluded-attributes-removes-id`` fault (RFC7644 §3.4.2.5).

    ExcludedAttributes=id removes id, whose returned characteristic is always.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation not in (Operation.query, *wsgi.SEARCHES) or response.status != 200:
            return response
        parameters = (
            wsgi.query(environ)
            if found.operation is Operation.query
            else search_parameters(environ, found)
        )
        excluded = parameter(parameters, "excludedAttributes") or ""
        names = excluded if isinstance(excluded, list) else str(excluded).split(",")
        if not any(str(name).strip().lower() == "id" for name in names):
            return response

        def edit(document: Any) -> None:
            for resource in resources_of(document, found):
                resource.pop("id", None)

        return edit_json(response, edit)
