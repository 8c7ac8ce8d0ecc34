"""Bizagi data hygiene: a run takes over the deactivated users of earlier runs, and only those.

Two runs in this process against one Bizagi twin (real HTTP over loopback), their ledgers side
by side as under reports/: the first leaves a user behind, the second reuses it without
counting it against the budget, and never touches users that are not the suite's (no prefix)
or that are still active (a concurrent run's). With `deactivated-hidden` the twin hides
inactive users from queries, so the earlier ledger is the only way to find them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.run import RunContext, RunOptions, cleanup, open_run
from conformance.sandbox import SandboxServer, start_sandbox


@pytest.fixture(params=[(), ("deactivated-hidden",)], ids=["listed", "hidden"])
def twin(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SandboxServer]:
    with start_sandbox("bizagi", request.param) as server:
        monkeypatch.setenv("SCIM_TOKEN", server.token)
        yield server


def _open(twin: SandboxServer, output_dir: Path) -> RunContext:
    return open_run(RunOptions(target=twin.base_url, profile="bizagi", output_dir=str(output_dir)))


def _user(context: RunContext, name: str, *, active: bool) -> dict[str, Any]:
    """A user made outside any ledger (a real person's, or a concurrent run's)."""
    factory = context.factory
    response = context.client.post(factory.users_path, factory.user_payload(name, active=active))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _state(context: RunContext, user_id: str) -> dict[str, Any]:
    response = context.client.get(f"{context.factory.users_path}/{user_id}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_run_reuses_what_an_earlier_run_left_behind(twin: SandboxServer, tmp_path: Path) -> None:
    first = _open(twin, tmp_path / "run1")
    try:
        left = first.factory.create_user()
        prefix = first.profile.username_prefix
        person = _user(first, "alice.jones@example.com", active=False)  # no prefix: not ours
        live = _user(first, f"{prefix}zzzzz001@example.com", active=True)  # a live run's user
        cleanup(first)
    finally:
        first.close()

    second = _open(twin, tmp_path / "run2")
    try:
        assert _state(second, left.id)["active"] is False
        reused = second.factory.reusable_user()
        assert reused.id == left.id and reused.reused
        assert _state(second, left.id)["active"] is True
        assert (second.ledger.users_created, second.ledger.users_reused) == (0, 1)
        fresh = second.factory.reusable_user()  # nothing else to take: a new user
        assert fresh.id not in (left.id, person["id"], live["id"]) and not fresh.reused
        assert second.ledger.users_created == 1
        for untouched in (person, live):
            now = _state(second, untouched["id"])
            assert now["meta"]["lastModified"] == untouched["meta"]["lastModified"]
            assert now["active"] == untouched.get("active")
        cleanup(second)
        behind = {entry.id: entry for entry in second.ledger.left_behind()}
        assert behind[left.id].reused and behind[left.id].state == "deactivated"
        assert _state(second, left.id)["active"] is False
    finally:
        second.close()


def test_names_of_the_scheme_are_recognised(twin: SandboxServer, tmp_path: Path) -> None:
    context = _open(twin, tmp_path / "run")
    try:
        factory = context.factory
        assert factory.is_run_username(factory.username("ext"))
        assert factory.is_run_username(factory.username_of_length(25, "ext"))
        assert len(factory.username_of_length(25, "ext")) == 25
        assert len(factory.username_of_length(26, "long")) == 26
        assert not factory.is_run_username("scott001@example.com")
        assert not factory.is_run_username("scabcde001@example.org")
    finally:
        context.close()
