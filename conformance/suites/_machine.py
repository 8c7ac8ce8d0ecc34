"""The state machine: Hypothesis rules over the driver, and how a run of it is set up.

Kept apart from the check (test_stateful.py) so that benchmarks/ can run the same machine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, note, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis.stateful import RuleBasedStateMachine, get_state_machine_test, invariant, rule

from conformance.model import SchemaView
from conformance.run import RunContext
from conformance.strategies import INDEX, UserStrategies, operations_from
from conformance.suites._stateful import MAX_HELD, Driver

DEFAULT_EXAMPLES = 10
DEFAULT_STEPS = 15


def new_driver(scim_run: RunContext) -> Driver:
    """A driver for the run's target, its users named under the machine's own prefix."""
    capabilities, factory = scim_run.capabilities, scim_run.factory
    prefix = factory.run_prefix + "sm"
    if not factory.username("sm").startswith(prefix):  # the profile's length limit cut the tag
        prefix = factory.run_prefix
    return Driver(
        scim_run.client,
        factory,
        scim_run.profile,
        SchemaView.for_users(capabilities),
        patch=capabilities.supports("patch"),
        filtering=capabilities.supports("filter"),
        prefix=prefix,
    )


def machine_test(
    driver: Driver, scim_run: RunContext, examples: int, steps: int, database: Path | None
) -> Callable[[], None]:
    """The Hypothesis test that runs the machine: seeded by the run, CI-like settings."""
    values = UserStrategies(driver.schema, scim_run.profile)
    test: Any = get_state_machine_test(
        build_machine(driver, values),
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            derandomize=False,
            database=DirectoryBasedExampleDatabase(str(database)) if database else None,
            phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
            print_blob=False,
            verbosity=Verbosity.quiet,
        ),
    )
    # the run's seed makes the sequence replayable; the database key keeps the example
    # database in use although the CLI also passes --hypothesis-seed (which disables it)
    test._hypothesis_internal_use_seed = scim_run.seed
    test._hypothesis_internal_database_key = b"scim-conformance:stateful/sequences"
    return test


def build_machine(driver: Driver, values: UserStrategies) -> type[RuleBasedStateMachine]:
    """The machine class, closed over the run's driver (rules cannot take fixtures).

    Rules have no preconditions and every rule draws the same things whatever the state:
    the users an example holds depend on what earlier examples left to recycle and on the
    run's user budget, and Hypothesis requires that replaying a choice sequence draws the
    same kinds of values. A rule with nothing to act on falls back to a useful step (a
    scoped list, or obtaining a user).
    """

    def index(data: st.DataObject, label: str = "user") -> int:
        return data.draw(INDEX, label=label)

    def one(users: list[Any], number: int) -> Any:
        return users[number % len(users)] if users else None

    class ScimUsers(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            driver.begin_example()

        def teardown(self) -> None:
            driver.end_example()

        @rule(data=st.data())
        def create(self, data: st.DataObject) -> None:
            payload = data.draw(values.payload(), label="payload")
            recycle = data.draw(st.sampled_from((True, True, True, False)), label="recycle")
            name_case = data.draw(st.sampled_from(("keep", "upper", "mixed")), label="case")
            number = index(data)
            if len(driver.held) >= MAX_HELD:
                user = one(driver.live_held(), number)
                if user is not None:
                    driver.replace(user, payload)
                    return _note(driver)
            driver.obtain(payload, recycle, name_case)
            _note(driver)

        @rule(data=st.data())
        def get(self, data: st.DataObject) -> None:
            number = index(data)
            user = one(driver.held, number) or self._some_user()
            if user is not None:
                driver.get(user)
            _note(driver)

        @rule(data=st.data())
        def list_with_filter(self, data: st.DataObject) -> None:
            plan = data.draw(values.filter_plans(), label="filter")
            if not driver.live_held():
                self._some_user()
            users = [u.expectation for u in driver.live_held()]
            predicate, scope_case = values.filter_from(plan, users, driver.prefix)
            driver.list_users(predicate, scope_case)
            _note(driver)

        @rule(data=st.data())
        def replace(self, data: st.DataObject) -> None:
            payload = data.draw(values.payload(), label="payload")
            user = one(driver.live_held(), index(data))
            if user is not None:
                driver.replace(user, payload)
            elif len(driver.held) < MAX_HELD:
                driver.obtain(payload, True, "keep")
            _note(driver)

        @rule(data=st.data())
        def patch(self, data: st.DataObject) -> None:
            self._patch(data, values_only=False)

        @rule(data=st.data())
        def patch_values(self, data: st.DataObject) -> None:
            self._patch(data, values_only=True)

        def _patch(self, data: st.DataObject, *, values_only: bool) -> None:
            number = index(data)
            plans = data.draw(values.operation_plans(values_only), label="operations")
            user = one(driver.live_held(), number) or self._some_user()
            if user is not None and driver.can_patch:
                driver.patch(user, operations_from(plans, user.expectation))
            _note(driver)

        @rule(data=st.data())
        def deactivate(self, data: st.DataObject) -> None:
            self._set_active(data, False)

        @rule(data=st.data())
        def reactivate(self, data: st.DataObject) -> None:
            self._set_active(data, True)

        def _set_active(self, data: st.DataObject, active: bool) -> None:
            user = one(driver.live_held(), index(data)) or self._some_user()
            if user is not None and driver.has_active:
                driver.set_active(user, active)
            _note(driver)

        @rule(data=st.data())
        def delete(self, data: st.DataObject) -> None:
            user = one(driver.live_held(), index(data)) or self._some_user()
            if user is not None:
                driver.delete(user)
            _note(driver)

        @rule(data=st.data())
        def touch_deleted(self, data: st.DataObject) -> None:
            number = index(data)
            method = data.draw(st.sampled_from(("GET", "PATCH", "PUT", "DELETE")), label="method")
            payload = data.draw(values.payload(), label="payload") if method == "PUT" else {}
            user = one(driver.deleted_held(), number)
            if user is not None:
                driver.touch_deleted(user, method, payload)
            else:
                user = one(driver.live_held(), number)
                driver.get(user) if user is not None else driver.list_users(None)
            _note(driver)

        def _some_user(self) -> Any:
            """A rule with no user to act on first obtains one (the smallest User)."""
            if len(driver.held) >= MAX_HELD:
                return None
            before = len(driver.held)
            driver.obtain(values.minimal_payload(), True, "keep")
            driver.check_dirty()
            return driver.held[-1] if len(driver.held) > before else None

        @invariant()
        def agrees_with_the_oracle(self) -> None:
            driver.check_dirty()

    return ScimUsers


def _note(driver: Driver) -> None:
    """Name the step's exchanges (their evidence ids) in Hypothesis' report."""
    if driver.transcript.steps:
        step = driver.transcript.steps[-1]
        note(f"{step.text[:120]} -> exchanges {', '.join(f'#{e.seq}' for e in step.exchanges)}")
