"""The ledger: every resource the run creates, written to disk the moment it exists.

Because it is persisted as it happens, cleanup can run at the end of the run, after a crash
or Ctrl-C, or later with `scim-conformance cleanup LEDGER`. On targets whose DELETE only
deactivates (Bizagi), the ledger is also the list of what the run left behind.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass
class LedgerEntry:
    """A resource the run created, and what became of it."""

    resource_type: str
    id: str
    location: str
    name: str
    check: str
    created_at: float
    state: str = "created"  # created | deleted | deactivated | gone | cleanup-failed
    note: str = ""
    reused: bool = False
    """A deactivated user of an earlier run, reactivated by this one (not counted as created)."""


class Ledger:
    """Append-only JSON-lines record of created resources, with a user budget."""

    def __init__(self, path: Path | None, *, run_id: str, user_budget: int) -> None:
        self.path = path
        self.run_id = run_id
        self.user_budget = user_budget
        self.entries: dict[str, LedgerEntry] = {}
        self._lock = threading.Lock()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)

    @property
    def users_created(self) -> int:
        return sum(1 for e in self.entries.values() if e.resource_type == "User" and not e.reused)

    @property
    def users_reused(self) -> int:
        return sum(1 for e in self.entries.values() if e.resource_type == "User" and e.reused)

    @property
    def users_left(self) -> int:
        return self.user_budget - self.users_created

    def created(
        self,
        resource_type: str,
        id: str,
        *,
        location: str,
        name: str,
        check: str,
        reused: bool = False,
    ) -> LedgerEntry:
        """Record a resource the run created (or, with `reused`, took over from an earlier
        run): cleanup treats both alike, the budget counts only the created ones."""
        entry = LedgerEntry(resource_type, id, location, name, check, time.time(), reused=reused)
        with self._lock:
            self.entries[self._key(resource_type, id)] = entry
            self._append({"event": "created", **asdict(entry)})
        return entry

    def mark(self, resource_type: str, id: str, state: str, note: str = "") -> None:
        with self._lock:
            entry = self.entries.get(self._key(resource_type, id))
            if entry is None:
                return
            entry.state, entry.note = state, note
            self._append({"event": state, "resource_type": resource_type, "id": id, "note": note})

    def pending(self) -> list[LedgerEntry]:
        """Entries still to clean up, newest first (groups before the users they hold)."""
        live = [e for e in self.entries.values() if e.state in ("created", "cleanup-failed")]
        return sorted(live, key=lambda e: e.created_at, reverse=True)

    def left_behind(self) -> list[LedgerEntry]:
        """What the run could not remove: deactivated users, failed cleanups."""
        return [
            e
            for e in self.entries.values()
            if e.state in ("created", "deactivated", "cleanup-failed")
        ]

    def _append(self, record: dict[str, Any]) -> None:
        if self.path is None:
            return
        record = {"run": self.run_id, **record}
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")

    @staticmethod
    def _key(resource_type: str, id: str) -> str:
        return f"{resource_type}/{id}"


def read_ledger(path: Path) -> dict[str, dict[str, Any]]:
    """Replay a ledger file: the last known state of each resource it names."""
    state: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            key = f"{record['resource_type']}/{record['id']}"
            if record["event"] == "created":
                state[key] = dict(record, state="created")
            elif key in state:
                state[key]["state"] = record["event"]
    return state
