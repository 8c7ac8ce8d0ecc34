"""PATCH: RFC 7644 §3.5.2 and its operations, add (§3.5.2.1), remove (§3.5.2.2), replace (§3.5.2.3).

Levels follow the clause's own keyword. Where the RFC names a scimType with SHALL (replace
through a filter that matches nothing, removing a required attribute) the scimType is part of
the MUST; where only Table 9 of §3.12 names it (scimType is OPTIONAL there), or the sentence
carries no RFC 2119 keyword, the scimType is a separate SHOULD so that a different keyword
warns instead of failing.
"""

from conformance.catalogue import Level, req

MUST, SHOULD = Level.MUST, Level.SHOULD

REQUIREMENTS = [
    # -- the operations ------------------------------------------------------------------
    req(
        "patch/add-singular",
        "RFC7644 §3.5.2.1",
        MUST,
        "Add on a singular attribute or sub-attribute sets its value (added, or replaced).",
    ),
    req(
        "patch/replace-singular",
        "RFC7644 §3.5.2.3",
        MUST,
        "Replace on a singular attribute or sub-attribute replaces its value.",
    ),
    req(
        "patch/remove-singular",
        "RFC7644 §3.5.2.2",
        MUST,
        "Remove on a singular attribute or sub-attribute leaves it unassigned.",
    ),
    req(
        "patch/replace-complex-partial",
        "RFC7644 §3.5.2.3",
        MUST,
        "Replace on a complex attribute leaves the sub-attributes it does not name unchanged.",
    ),
    req(
        "patch/add-multi-valued-appends",
        "RFC7644 §3.5.2.1",
        MUST,
        "Add on a multi-valued attribute adds the new value and keeps the existing ones.",
    ),
    req(
        "patch/replace-multi-valued-all",
        "RFC7644 §3.5.2.3",
        MUST,
        "Replace on a multi-valued attribute without a filter replaces all its values.",
    ),
    req(
        "patch/replace-filter-subattribute",
        "RFC7644 §3.5.2.3",
        MUST,
        "Replace through attr[filter].sub changes that sub-attribute of the matching records only.",
    ),
    req(
        "patch/replace-filter-record",
        "RFC7644 §3.5.2.3",
        MUST,
        "Replace through attr[filter] replaces the matching records and keeps the others.",
    ),
    req(
        "patch/remove-filter",
        "RFC7644 §3.5.2.2",
        MUST,
        "Remove through attr[filter] removes the matching records and keeps the others.",
    ),
    req(
        "patch/primary-exclusive",
        "RFC7644 §3.5.2",
        MUST,
        "Setting primary true on one value sets primary false on the attribute's other values.",
    ),
    req(
        "patch/add-existing-value-noop",
        "RFC7644 §3.5.2.1",
        SHOULD,
        "Add of a value the attribute already holds succeeds and changes nothing.",
    ),
    req(
        "patch/add-existing-keeps-lastmodified",
        "RFC7644 §3.5.2.1",
        MUST,
        "Add of a value the attribute already holds does not change meta.lastModified.",
    ),
    req(
        "patch/extension-urn-path",
        "RFC7644 §3.5.2",
        MUST,
        "Add/replace/remove address an extension attribute by its URN-qualified path.",
    ),
    # The §3.5.2 sentence has no RFC 2119 keyword, and RFC 7643 §3.3 leaves listing extension
    # URIs in `schemas` loosely worded: graded SHOULD so that no conformant target fails on it.
    req(
        "patch/extension-adds-schema",
        "RFC7644 §3.5.2",
        SHOULD,
        "Adding an extension attribute by its URN path adds the extension URN to schemas.",
    ),
    req(
        "patch/add-no-path",
        "RFC7644 §3.5.2.1",
        MUST,
        "Add without a path adds the attributes of its value to the resource itself.",
    ),
    req(
        "patch/replace-no-path",
        "RFC7644 §3.5.2.3",
        MUST,
        "Replace without a path replaces the attributes of its value on the resource itself.",
    ),
    req(
        "patch/path-case-insensitive",
        "RFC7644 §3.10",
        MUST,
        "Attribute names in a PATCH path match whatever their case.",
    ),
    # -- the request -----------------------------------------------------------------------
    req(
        "patch/operations-in-order",
        "RFC7644 §3.5.2",
        MUST,
        "The operations of one request are applied in the order they appear.",
    ),
    req(
        "patch/atomic",
        "RFC7644 §3.5.2",
        MUST,
        "A request whose later operation fails leaves the resource as it was before.",
    ),
    req(
        "patch/success-200-or-204",
        "RFC7644 §3.5.2",
        MUST,
        "A successful PATCH answers 200 with the whole updated resource, or 204.",
    ),
    req(
        "patch/attributes-param-200",
        "RFC7644 §3.5.2",
        MUST,
        "A successful PATCH with the attributes parameter answers 200 with those attributes.",
    ),
    req(
        "patch/meta-created-unchanged",
        "RFC7643 §3.1",
        MUST,
        "A PATCH leaves meta.created (readOnly: when the resource was added) unchanged.",
    ),
    # -- errors ------------------------------------------------------------------------------
    req(
        "patch/replace-filter-no-match-notarget",
        "RFC7644 §3.5.2.3",
        MUST,
        "Replace through a filter matching no record fails with 400 noTarget, changing nothing.",
    ),
    req(
        "patch/remove-no-path-400",
        "RFC7644 §3.5.2.2",
        MUST,
        "Remove without a path fails with 400 and changes nothing.",
    ),
    req(
        "patch/remove-no-path-notarget",
        "RFC7644 §3.5.2.2",
        SHOULD,
        "Remove without a path answers scimType noTarget.",
    ),
    req(
        "patch/invalid-path-rejected",
        "RFC7644 §3.5.2",
        MUST,
        "A malformed path is refused with a 4xx and changes nothing.",
    ),
    req(
        "patch/invalid-path-scimtype",
        "RFC7644 §3.12",
        SHOULD,
        "A malformed path answers 400 with scimType invalidPath (or invalidFilter).",
    ),
    req(
        "patch/invalid-value-rejected",
        "RFC7644 §3.5.2",
        MUST,
        "A value of the wrong type is refused with a 4xx and changes nothing.",
    ),
    req(
        "patch/invalid-value-scimtype",
        "RFC7644 §3.12",
        SHOULD,
        "A value of the wrong type answers 400 with scimType invalidValue.",
    ),
    req(
        "patch/readonly-rejected",
        "RFC7644 §3.5.2",
        MUST,
        "Replacing the readOnly id is refused with a 4xx; the id stays.",
    ),
    req(
        "patch/readonly-scimtype",
        "RFC7644 §3.12",
        SHOULD,
        "Replacing the readOnly id answers 400 with scimType mutability.",
    ),
    req(
        "patch/immutable-rejected",
        "RFC7644 §3.5.2",
        MUST,
        "Replacing an immutable attribute that has a value is refused with a 4xx.",
    ),
    req(
        "patch/remove-required-mutability",
        "RFC7644 §3.5.2.2",
        MUST,
        "Removing a required attribute is refused with scimType mutability; it stays.",
    ),
]
