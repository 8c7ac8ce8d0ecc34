"""What every report says the same way: the verdict, the counts, the grouping by RFC section.

The HTML report, Allure and the terminal all read these helpers so that a reviewer sees one
verdict whatever format they open.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from conformance.results import OUTCOMES, CheckResult, RunResults

LEVELS = ("MUST", "SHOULD", "MAY")


@dataclass(frozen=True)
class Verdict:
    """The one-line answer at the top of a report, with the notes that qualify it."""

    key: str  # conformant | conformant-with-warnings | not-conformant | inconclusive
    title: str
    detail: str
    notes: tuple[str, ...] = field(default=())


def verdict(results: RunResults) -> Verdict:
    """Judge the run by its own `--fail-on` level: MUST failures (and SHOULD misses if asked).

    Errors are the suite's, not the target's: without a failure they make the run
    inconclusive rather than conformant, since some requirements were never judged.
    """
    meta = results.meta
    profile = meta.get("profile") or "generic"
    fail_on = meta.get("fail_on") or "must"
    counts = results.summary()
    notes = list(_notes(results))
    if fail_on == "should":
        notes.append("Gate --fail-on should: a SHOULD/MAY not met counts as a failure.")
    else:
        notes.append("Gate --fail-on must: a SHOULD/MAY not met is a warning, not a failure.")
    failed, warned, errors = counts["failed"], counts["warning"], counts["error"]
    if failed or (fail_on == "should" and warned):
        parts = [f"{failed} MUST requirement{_s(failed)} not met"] if failed else []
        if fail_on == "should" and warned:
            parts.append(f"{warned} SHOULD/MAY recommendation{_s(warned)} not met")
        if errors:
            parts.append(f"{errors} check{_s(errors)} could not be judged (suite errors)")
        return Verdict(
            "not-conformant", f"Not conformant: profile {profile}", "; ".join(parts), tuple(notes)
        )
    if errors or counts["total"] == 0:
        detail = (
            f"{errors} check{_s(errors)} could not be judged (suite errors); no failure found"
            if errors
            else "no check ran"
        )
        return Verdict("inconclusive", f"Inconclusive: profile {profile}", detail, tuple(notes))
    if warned:
        return Verdict(
            "conformant-with-warnings",
            f"Conformant with warnings: profile {profile}",
            f"every MUST met; {warned} SHOULD/MAY recommendation{_s(warned)} not met",
            tuple(notes),
        )
    return Verdict(
        "conformant",
        f"Conformant: profile {profile}",
        "every requirement checked was met",
        tuple(notes),
    )


def _notes(results: RunResults) -> list[str]:
    meta = results.meta
    notes = []
    if meta.get("select"):
        notes.append(f"Partial run: only checks matching --select {meta['select']}.")
    if meta.get("read_only"):
        notes.append("Read-only run: checks that write were skipped.")
    sandbox = meta.get("sandbox")
    if isinstance(sandbox, dict) and sandbox.get("faults"):
        faults = ", ".join(str(f) for f in sandbox["faults"])
        notes.append(f"Target was the embedded sandbox with deliberate faults: {faults}.")
    return notes


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def headline(message: str) -> str:
    """The first line of a message: what terminals, baselines and tables show."""
    return message.splitlines()[0] if message else ""


def split_ref(ref: str) -> tuple[str, str]:
    """`RFC7644 §3.5.2` -> (`RFC7644`, `3.5.2`); a bare document name has no section."""
    doc, _, section = ref.partition("§")
    return doc.strip() or "unknown", section.strip()


def section_key(section: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key in reading order: §3.10 after §3.9, numbers before names."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in section.split("."))


def doc_key(doc: str) -> tuple[int, str]:
    """RFCs first (in number order), profile documents after."""
    return (0 if doc.startswith("RFC") else 1, doc)


def grouped(checks: list[CheckResult]) -> list[tuple[str, list[tuple[str, list[CheckResult]]]]]:
    """Checks by document, then by section, each in reading order."""
    tree: dict[str, dict[str, list[CheckResult]]] = defaultdict(lambda: defaultdict(list))
    for check in checks:
        doc, section = split_ref(check.requirement)
        tree[doc][section].append(check)
    return [
        (
            doc,
            [
                (section, sorted(tree[doc][section], key=lambda c: c.id))
                for section in sorted(tree[doc], key=section_key)
            ],
        )
        for doc in sorted(tree, key=doc_key)
    ]


def counts_by_level(results: RunResults) -> dict[str, dict[str, int]]:
    """level -> outcome -> count, every level and outcome present (zeros included)."""
    levels = list(LEVELS) + sorted({c.level for c in results.checks} - set(LEVELS))
    table: dict[str, dict[str, int]] = {level: dict.fromkeys(OUTCOMES, 0) for level in levels}
    for check in results.checks:
        table[check.level][check.outcome] += 1
    return table
