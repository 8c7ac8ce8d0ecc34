"""Every user a run's state machine owns, and what a list or filter over them must return.

The world outlives one Hypothesis example: users are recycled between examples (the user
budget is for the whole run), so what each of them must hold is kept here. A list scoped to
the machine's userName prefix must return exactly the users the oracle says match, whoever
asked: RFC 7644 §3.4.2.2 "only those resources matching the filter expression SHALL be
returned", and §3.6 "Service providers MUST omit the resource from future query results"
once it is deleted. On targets whose DELETE only deactivates (profile delete_mode
"deactivate"), a deleted user stays, with active false.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conformance.model.filter import Filter, evaluate
from conformance.model.resource import Expectation


@dataclass
class OwnedUser:
    """One user of the machine: how it is addressed and what it must hold."""

    id: str
    user_name: str
    path: str
    expectation: Expectation
    label: str = ""
    deleted: bool = False
    """Removed by DELETE (only on targets whose DELETE removes)."""
    last_write: str = "POST"
    """The method that last changed it, to name the clause when it reads back wrong."""
    fresh: bool = False
    """Created by POST and not read back yet: the target may still have altered what was
    sent (RFC 7644 §3.3), so the first full read settles the expectation."""


@dataclass
class ListExpectation:
    """Which owned users a list must return, must not return, or may return."""

    must: set[str] = field(default_factory=set)
    must_not: set[str] = field(default_factory=set)
    may: set[str] = field(default_factory=set)


@dataclass
class World:
    """The users a run owns, keyed by id."""

    users: dict[str, OwnedUser] = field(default_factory=dict)

    def add(self, user: OwnedUser) -> None:
        self.users[user.id] = user

    def live(self) -> list[OwnedUser]:
        return [u for u in self.users.values() if not u.deleted]

    def expect_list(self, node: Filter | None) -> ListExpectation:
        """What a list with this filter (and-ed with the machine's scope) must return."""
        result = ListExpectation()
        for user in self.users.values():
            if user.deleted:
                result.must_not.add(user.id)
                continue
            if node is None:
                result.must.add(user.id)
                continue
            verdict = matches(node, user.expectation)
            target = (
                result.must
                if verdict is True
                else result.must_not
                if verdict is False
                else result.may
            )
            target.add(user.id)
        return result


def matches(node: Filter, expectation: Expectation) -> bool | None:
    """Does the expected representation match the filter (None: the RFC allows either)?"""
    representation: dict[str, Any] = expectation.to_json()
    return evaluate(node, representation, expectation.context())
