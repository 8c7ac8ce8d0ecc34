"""The faults that rewrite requests or responses, one small WSGI layer each.

The other faults switch a part of the server instead (storage, provider, authentication,
Bizagi layers): see :data:`conformance.sandbox.app.STRUCTURAL_FAULTS`. Each layer sits
outside the flavour's own layers, so it sees the request as the client sent it and the
response the clean server would send. The clause each one violates is quoted in
:mod:`conformance.sandbox.faults`.
"""

from __future__ import annotations

from conformance.sandbox.defects.base import FaultLayer
from conformance.sandbox.defects.discovery import (
    DiscoveryHtmlContentType,
    ResourceTypeUnknownSchema,
    SchemaUserNameOptional,
    SpcMissingSchemas,
)
from conformance.sandbox.defects.patch import (
    EntraDottedKeysIgnored,
    EntraOpCaseRejected,
    EntraStringBooleanRejected,
    PatchNotAtomic,
    PatchPathlessIgnored,
    PatchRemoveIgnored,
    PatchUrnPathRejected,
    PatchValuePathTruncates,
)
from conformance.sandbox.defects.protocol import (
    ErrorStatusInteger,
    EtagHeaderMissing,
    EtagIfMatchIgnored,
)
from conformance.sandbox.defects.queries import (
    AttributesIgnored,
    DeactivatedHidden,
    ExcludedAttributesRemovesId,
    FilterCaseSensitive,
    FilterIgnored,
    FilterInvalid500,
    PagingCountIgnored,
    PagingTotalWrong,
    PagingZeroBased,
    SortIgnored,
)
from conformance.sandbox.defects.resources import (
    BulkBulkIdMissing,
    CaseExactAltered,
    CreateLocationMissing,
    ExtensionDroppedOnPut,
    ExtensionNotAdvertised,
    NonAsciiMangled,
    NotFoundNotScimError,
    PutCreatesUnknown,
    ReadIdMissing,
    ReadMetaMissing,
    ReadPasswordReturned,
)

LAYERS: dict[str, type[FaultLayer]] = {
    "spc-missing-schemas": SpcMissingSchemas,
    "resourcetype-unknown-schema": ResourceTypeUnknownSchema,
    "schema-username-optional": SchemaUserNameOptional,
    "discovery-html-content-type": DiscoveryHtmlContentType,
    "create-location-missing": CreateLocationMissing,
    "read-password-returned": ReadPasswordReturned,
    "read-id-missing": ReadIdMissing,
    "read-meta-missing": ReadMetaMissing,
    "not-found-not-scim-error": NotFoundNotScimError,
    "put-creates-unknown": PutCreatesUnknown,
    "patch-remove-ignored": PatchRemoveIgnored,
    "patch-valuepath-truncates": PatchValuePathTruncates,
    "patch-not-atomic": PatchNotAtomic,
    "patch-pathless-ignored": PatchPathlessIgnored,
    "entra-op-case-rejected": EntraOpCaseRejected,
    "entra-string-boolean-rejected": EntraStringBooleanRejected,
    "entra-dotted-keys-ignored": EntraDottedKeysIgnored,
    "deactivated-hidden": DeactivatedHidden,
    "filter-ignored": FilterIgnored,
    "filter-case-sensitive": FilterCaseSensitive,
    "filter-invalid-500": FilterInvalid500,
    "paging-zero-based": PagingZeroBased,
    "paging-count-ignored": PagingCountIgnored,
    "paging-total-wrong": PagingTotalWrong,
    "sort-ignored": SortIgnored,
    "attributes-ignored": AttributesIgnored,
    "excluded-attributes-removes-id": ExcludedAttributesRemovesId,
    "etag-if-match-ignored": EtagIfMatchIgnored,
    "etag-header-missing": EtagHeaderMissing,
    "error-status-integer": ErrorStatusInteger,
    "extension-dropped-on-put": ExtensionDroppedOnPut,
    "extension-not-advertised": ExtensionNotAdvertised,
    "patch-urn-path-rejected": PatchUrnPathRejected,
    "non-ascii-mangled": NonAsciiMangled,
    "case-exact-altered": CaseExactAltered,
    "bulk-bulkid-missing": BulkBulkIdMissing,
}
"""The fault layers by fault name."""

__all__ = ["LAYERS", "FaultLayer"]
