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


class QueryNoMatch404(FaultLayer):
    """The ``query-no-match-404`` fault (RFC7644 §3.4.2).

    A query that matches nothing answers 404 Not Found instead of 200 with totalResults 0.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        document = response.json() if found.operation in wsgi.SEARCHES else None
        if (
            response.status == 200
            and isinstance(document, dict)
            and document.get("totalResults") == 0
        ):
            return wsgi.scim_error(404, "No resource matches the query")
        return response


class PagingPageElementsMissing(FaultLayer):
    """The ``paging-page-elements-missing`` fault (RFC7644 §3.4.2).

    Partial pages carry neither startIndex nor itemsPerPage.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation not in wsgi.SEARCHES or response.status != 200:
            return response

        def edit(document: Any) -> None:
            if not isinstance(document, dict):
                return
            listed = document.get("Resources") or []
            if isinstance(document.get("totalResults"), int) and document["totalResults"] > len(
                listed
            ):
                document.pop("startIndex", None)
                document.pop("itemsPerPage", None)

        return edit_json(response, edit)


class PagingStartIndexBelowOneRejected(FaultLayer):
    """The ``paging-start-index-below-one-rejected`` fault (RFC7644 §3.4.2.4).

    A startIndex below 1 is refused with 400 invalidValue instead of being read as 1.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if found.operation not in wsgi.SEARCHES:
            return None
        start = parameter(search_parameters(environ, found), "startIndex")
        try:
            below = int(start) < 1
        except (TypeError, ValueError):
            return None
        if below:
            return wsgi.scim_error(
                400, f"startIndex must be 1 or more, not {start}", "invalidValue"
            )
        return None


class SortDefaultDescending(FaultLayer):
    """The ``sort-default-descending`` fault (RFC7644 §3.4.2.3).

    sortBy without sortOrder sorts descending.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if found.operation not in wsgi.SEARCHES:
            return None
        parameters = search_parameters(environ, found)
        if (
            parameter(parameters, "sortBy") is None
            or parameter(parameters, "sortOrder") is not None
        ):
            return None
        if found.operation is Operation.search:
            wsgi.set_query(environ, {**wsgi.query(environ), "sortOrder": "descending"})
        else:
            wsgi.set_json_body(environ, {**parameters, "sortOrder": "descending"})
        return None


def _sort_value(resource: dict[str, Any], path: str) -> str | None:
    node: Any = resource
    for part in path.split("."):
        node = _lookup(node, part) if isinstance(node, dict) else None
    return node if isinstance(node, str) else None


class SortCaseSensitive(FaultLayer):
    """The ``sort-case-sensitive`` fault (RFC7644 §3.4.2.3).

    Results are sorted by the code points of the sortBy value, whatever its caseExact:
    "Zed" before "alice".
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation not in wsgi.SEARCHES or response.status != 200:
            return response
        parameters = search_parameters(environ, found)
        sort_by = parameter(parameters, "sortBy")
        if not isinstance(sort_by, str) or sort_by.lower().startswith("urn:"):
            return response
        descending = str(parameter(parameters, "sortOrder") or "").lower() == "descending"

        def edit(document: Any) -> None:
            listed = resources_of(document, found)
            valued = [r for r in listed if _sort_value(r, sort_by) is not None]
            if len(valued) < 2:
                return
            valued.sort(key=lambda r: str(_sort_value(r, sort_by)), reverse=descending)
            others = [r for r in listed if _sort_value(r, sort_by) is None]
            document["Resources"] = others + valued if descending else valued + others

        return edit_json(response, edit)


class ExcludedAttributesIgnoredOnList(FaultLayer):
    """The ``excluded-attributes-ignored-on-list`` fault (RFC7644 §3.4.2.5).

    excludedAttributes is ignored on list queries (GET and POST .search).
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if found.operation in wsgi.SEARCHES:
            drop_search_parameters(environ, found, "excludedAttributes")
        return None


class SearchBodyFilterIgnored(FaultLayer):
    """The ``search-body-filter-ignored`` fault (RFC7644 §3.4.3).

    POST .search ignores the filter of its SearchRequest body (GET queries still filter).
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if found.operation is Operation.search_with_body:
            drop_search_parameters(environ, found, "filter")
        return None


class ExtensionMissingInLists(FaultLayer):
    """The ``extension-missing-in-lists`` fault (RFC7644 §3.4.2).

    Resources in list answers come without their extension attributes (GET of one has them).
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation not in wsgi.SEARCHES or response.status != 200:
            return response

        def edit(document: Any) -> None:
            for resource in resources_of(document, found):
                for key in [k for k in resource if k.lower().startswith("urn:")]:
                    del resource[key]
                if isinstance(resource.get("schemas"), list):
                    resource["schemas"] = [
                        urn for urn in resource["schemas"] if urn.lower() == USER_URN.lower()
                    ] or resource["schemas"][:1]

        return edit_json(response, edit)
