"""Property-based sequences (Hypothesis stateful testing) judged against the oracle.

One requirement: after every step of a random create / read / list / replace / patch /
deactivate / reactivate / delete sequence, the target holds what RFC 7644 says it must. The
failure message names the clause of the step that went wrong (§3.3, §3.5.1, §3.5.2, §3.6,
§3.4.2.2) and carries the shrunk sequence, the seed and a replay command.
"""

from conformance.catalogue import Level, req

REQUIREMENTS = [
    req("stateful/sequences", "RFC7644 §3.5.2", Level.MUST,
        "Across random create/read/list/replace/patch/deactivate/delete sequences, the target "
        "agrees with the oracle after every step: each user reads back as RFC 7644 §3.3, "
        "§3.5.1, §3.5.2 and §3.6 require, and scoped lists return exactly the matching users "
        "(§3.4.2.2)."),
]  # fmt: skip
