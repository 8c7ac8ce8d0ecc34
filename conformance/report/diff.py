"""What changed between two runs: new failures, fixes, new and removed checks, other moves."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from conformance.report.verdict import headline
from conformance.results import CheckResult, RunResults

_JUDGED_AWAY = ("skipped", "error")


@dataclass(frozen=True)
class Change:
    """One check whose outcome moved (old is None for a check the old run did not have)."""

    id: str
    requirement: str
    level: str
    old: str | None
    new: str | None
    message: str


@dataclass
class RunDiff:
    """The changes from an old run to a new one, judged at one --fail-on level."""

    fail_on: str
    new_failures: list[Change] = field(default_factory=list)
    fixed: list[Change] = field(default_factory=list)
    new_checks: list[Change] = field(default_factory=list)
    removed_checks: list[Change] = field(default_factory=list)
    other_changes: list[Change] = field(default_factory=list)
    unchanged: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def diff_runs(old: RunResults, new: RunResults, fail_on: str = "must") -> RunDiff:
    """Compare by check id. A new check that fails counts both as new and as a new failure."""
    bad = ("failed", "warning") if fail_on == "should" else ("failed",)
    before = {check.id: check for check in old.checks}
    after = {check.id: check for check in new.checks}
    diff = RunDiff(fail_on)
    for check_id in sorted(after):
        now = after[check_id]
        was = before.get(check_id)
        change = _change(was, now)
        if was is None:
            diff.new_checks.append(change)
        if now.outcome in bad and (was is None or was.outcome not in bad):
            diff.new_failures.append(change)
        elif was is None:
            continue
        elif was.outcome in bad and now.outcome not in bad and now.outcome not in _JUDGED_AWAY:
            diff.fixed.append(change)
        elif was.outcome != now.outcome:
            diff.other_changes.append(change)
        else:
            diff.unchanged += 1
    for check_id in sorted(set(before) - set(after)):
        diff.removed_checks.append(_change(before[check_id], None))
    return diff


def _change(was: CheckResult | None, now: CheckResult | None) -> Change:
    current = now or was
    assert current is not None
    return Change(
        id=current.id,
        requirement=current.requirement,
        level=current.level,
        old=was.outcome if was else None,
        new=now.outcome if now else None,
        message=headline(now.message if now else ""),
    )


def format_diff(diff: RunDiff, old: RunResults, new: RunResults) -> str:
    """The terminal form: one block per kind of change, then a one-line summary."""
    lines = [f"old: {_describe(old)}", f"new: {_describe(new)}", ""]
    blocks = (
        ("new failures", "×", diff.new_failures),
        ("fixed", "✔", diff.fixed),
        ("new checks", "+", diff.new_checks),
        ("removed checks", "-", diff.removed_checks),
        ("other changes", "~", diff.other_changes),
    )
    for title, mark, changes in blocks:
        if not changes:
            continue
        lines.append(f"{title} ({len(changes)}):")
        for change in changes:
            move = f"{change.old or 'absent'} -> {change.new or 'absent'}"
            text = f"  {mark} {change.id}  [{change.requirement} {change.level}]  {move}"
            lines.append(f"{text}  {change.message}".rstrip())
        lines.append("")
    lines.append(
        f"{len(diff.new_failures)} new failures, {len(diff.fixed)} fixed, "
        f"{len(diff.new_checks)} new checks, {len(diff.removed_checks)} removed checks, "
        f"{len(diff.other_changes)} other changes, {diff.unchanged} unchanged "
        f"(failures at --fail-on {diff.fail_on})"
    )
    return "\n".join(lines)


def _describe(results: RunResults) -> str:
    meta = results.meta
    return (
        f"run {meta.get('run_id', '?')} of {meta.get('target', '?')} "
        f"(profile {meta.get('profile', '?')}, finished {meta.get('finished_at', '?')})"
    )
