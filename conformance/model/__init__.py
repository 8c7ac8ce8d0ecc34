"""The oracle: what every resource the run owns must look like, and how to judge the target.

- schema.py    attribute characteristics from the target's /Schemas (plus RFC 7643 §3.1)
- filter.py    filters and PATCH paths (RFC 7644 §3.4.2.2, §3.5.2), three-valued evaluation
- values.py    when two values are the same value (caseExact, canonicalization)
- resource.py  the expected state of one resource, slot by slot
- patch.py     RFC 7644 §3.5.2 PATCH semantics applied to an expectation
- compare.py   a representation against an expectation: mismatches, and what to adopt
- world.py     every user a run owns, and what a list or filter must return
"""

from conformance.model.compare import Mismatch, compare, settle_created
from conformance.model.filter import FilterError, evaluate, parse_filter, parse_path, quote
from conformance.model.patch import Ambiguous, PatchFailure, PatchOutcome, apply_patch
from conformance.model.resource import Expectation, SchemaContext, Slot, flatten
from conformance.model.schema import AttrDef, AttrRef, SchemaView

__all__ = [
    "Ambiguous",
    "AttrDef",
    "AttrRef",
    "Expectation",
    "FilterError",
    "Mismatch",
    "PatchFailure",
    "PatchOutcome",
    "SchemaContext",
    "SchemaView",
    "Slot",
    "apply_patch",
    "compare",
    "settle_created",
    "evaluate",
    "flatten",
    "parse_filter",
    "parse_path",
    "quote",
]
