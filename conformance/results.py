"""The results model: one source of truth (results.json) that every report only reads."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Outcome = Literal["passed", "failed", "warning", "skipped", "error"]
OUTCOMES: tuple[Outcome, ...] = ("passed", "failed", "warning", "skipped", "error")
FORMAT_VERSION = 1


@dataclass
class CheckResult:
    """The verdict of one check, with its requirement and the evidence behind it."""

    id: str
    requirement_id: str
    requirement: str
    level: str
    statement: str
    outcome: Outcome
    message: str = ""
    url: str | None = None
    area: str = ""
    duration_ms: float = 0.0
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RunResults:
    """Everything a run learnt: metadata, capabilities, every check's verdict."""

    meta: dict[str, Any]
    checks: list[CheckResult] = field(default_factory=list)
    capabilities: dict[str, Any] = field(default_factory=dict)
    resources: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
        for check in self.checks:
            counts[check.outcome] += 1
        counts["total"] = len(self.checks)
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "meta": self.meta,
            "summary": self.summary(),
            "capabilities": self.capabilities,
            "resources": self.resources,
            "checks": [asdict(check) for check in self.checks],
        }

    def write(self, path: Path) -> str:
        """Write results.json; returns its SHA-256 so reports can print it."""
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @classmethod
    def read(cls, path: Path) -> RunResults:
        data = json.loads(path.read_text(encoding="utf-8"))
        checks = [CheckResult(**check) for check in data.get("checks", [])]
        return cls(
            meta=data.get("meta", {}),
            checks=checks,
            capabilities=data.get("capabilities", {}),
            resources=data.get("resources", {}),
        )


def failing(results: RunResults, fail_on: str = "must") -> list[CheckResult]:
    """The checks that make the run fail: FAILs, plus WARNs when gating on SHOULD."""
    bad: tuple[str, ...] = ("failed", "warning") if fail_on == "should" else ("failed",)
    return [check for check in results.checks if check.outcome in bad]


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
