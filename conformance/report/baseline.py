"""Baselines of known deviations, and the CI gate that lets only new failures break a build.

A baseline is a small JSON file the user commits: the ids of the checks that failed (or
warned) in a reference run, each with the first line of its message so a reviewer can see
what was accepted. The gate compares a run against it by check id.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from conformance.report.verdict import headline
from conformance.results import RunResults, failing

BASELINE_KIND = "scim-conformance-baseline"
BASELINE_FORMAT = 1
DEVIATION_OUTCOMES = ("failed", "warning")


class BaselineError(ValueError):
    """The baseline file is missing or is not a scim-conformance baseline."""


@dataclass(frozen=True)
class Deviation:
    """One accepted deviation: which check, how it went wrong, and why (first line)."""

    id: str
    outcome: str
    level: str
    requirement: str
    message: str


@dataclass
class Baseline:
    """The accepted deviations, by check id, and the run they were taken from."""

    deviations: dict[str, Deviation] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    path: str | None = None
    sha256: str | None = None

    @classmethod
    def from_results(cls, results: RunResults) -> Baseline:
        deviations = {
            check.id: Deviation(
                check.id, check.outcome, check.level, check.requirement, headline(check.message)
            )
            for check in results.checks
            if check.outcome in DEVIATION_OUTCOMES
        }
        meta = results.meta
        source = {
            key: meta.get(key)
            for key in ("run_id", "target", "profile", "finished_at", "version", "results_sha256")
            if meta.get(key) is not None
        }
        return cls(deviations=dict(sorted(deviations.items())), source=source)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": BASELINE_KIND,
            "format": BASELINE_FORMAT,
            "source": self.source,
            "deviations": [asdict(d) for d in self.deviations.values()],
        }

    def dumps(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def read(cls, path: Path) -> Baseline:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise BaselineError(f"cannot read baseline {path}: {exc.strerror}") from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise BaselineError(f"baseline {path} is not JSON: {exc}") from None
        if not isinstance(data, dict) or data.get("kind") != BASELINE_KIND:
            raise BaselineError(
                f"{path} is not a scim-conformance baseline "
                "(write one with `scim-conformance baseline RESULTS.json -o FILE`)"
            )
        if data.get("format") != BASELINE_FORMAT:
            raise BaselineError(f"baseline {path} has unsupported format {data.get('format')!r}")
        deviations: dict[str, Deviation] = {}
        for entry in data.get("deviations") or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                raise BaselineError(f"baseline {path}: every deviation needs an 'id'")
            deviations[entry["id"]] = Deviation(
                id=entry["id"],
                outcome=str(entry.get("outcome", "failed")),
                level=str(entry.get("level", "")),
                requirement=str(entry.get("requirement", "")),
                message=str(entry.get("message", "")),
            )
        source = data["source"] if isinstance(data.get("source"), dict) else {}
        return cls(deviations, source, str(path), hashlib.sha256(raw).hexdigest())


@dataclass
class Gate:
    """The CI verdict of a run: which failures are new, accepted, fixed, or not evaluated."""

    fail_on: str
    failing: list[str]
    new: list[str]
    accepted: list[str]
    fixed: list[str]
    not_evaluated: list[str]
    baseline: dict[str, Any] | None = None

    @property
    def passed(self) -> bool:
        """No failure at the --fail-on level that the baseline does not accept."""
        return not self.new

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["passed"] = self.passed
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Gate:
        fields = ("fail_on", "failing", "new", "accepted", "fixed", "not_evaluated", "baseline")
        return cls(**{name: data.get(name) for name in fields})  # type: ignore[arg-type]


def evaluate_gate(results: RunResults, fail_on: str, baseline: Baseline | None = None) -> Gate:
    """Only failures the baseline does not list fail the gate; passing baseline entries are
    fixed; entries whose check was skipped, errored or not run are reported as such."""
    failing_ids = sorted(check.id for check in failing(results, fail_on))
    if baseline is None:
        return Gate(fail_on, failing_ids, failing_ids, [], [], [])
    outcomes = {check.id: check.outcome for check in results.checks}
    accepted = [i for i in failing_ids if i in baseline.deviations]
    new = [i for i in failing_ids if i not in baseline.deviations]
    fixed = sorted(i for i in baseline.deviations if outcomes.get(i) == "passed")
    not_evaluated = sorted(
        i for i in baseline.deviations if outcomes.get(i) in (None, "skipped", "error")
    )
    info = {
        "path": baseline.path,
        "sha256": baseline.sha256,
        "deviations": len(baseline.deviations),
        "source": baseline.source,
    }
    return Gate(fail_on, failing_ids, new, accepted, fixed, not_evaluated, info)
