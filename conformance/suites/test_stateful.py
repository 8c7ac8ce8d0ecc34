"""Random CRUD/PATCH sequences checked against the oracle after every step (Hypothesis stateful).

RFC 7644 §3.5.2: "Each operation in the sequence is applied to the target resource; the
resulting resource becomes the target of the next operation." The same holds across
requests: what a target returns after any sequence of POST, PUT, PATCH and DELETE must be
what the oracle (conformance.model) computes from the RFC. The machine draws steps from the
target's own /Schemas and the profile, recycles its users so that the whole run stays within
--max-users, and on a failure reports the shortest sequence Hypothesis finds, as HTTP
requests, with the seed, a replay command and a curl script in the output directory.
"""

from __future__ import annotations

import itertools

import pytest

from conformance.checks import requirement, writes
from conformance.errors import BudgetExhausted, Nonconformance
from conformance.factory import Factory
from conformance.http import ScimClient
from conformance.run import RunContext
from conformance.suites._machine import DEFAULT_EXAMPLES, DEFAULT_STEPS, machine_test, new_driver
from conformance.suites._stateful import (
    Driver,
    curl_script,
    first_nonconformance,
    replay_command,
)

_FAILURES = itertools.count(1)


# RFC 7644 §3.5.2: "Each operation in the sequence is applied to the target resource; the
# resulting resource becomes the target of the next operation." RFC 7644 §3.3, §3.5.1 and
# §3.6 fix what POST, PUT and DELETE leave behind, and §3.4.2.2: "When specified, only those
# resources matching the filter expression SHALL be returned."
@requirement("stateful/sequences")
@writes
def test_random_sequences_agree_with_the_oracle(
    scim: ScimClient, factory: Factory, scim_run: RunContext
) -> None:
    if scim_run.capabilities.users is None:
        pytest.skip("the target lists no User resource type")
    options = scim_run.options
    driver = new_driver(scim_run)
    examples = options.examples or DEFAULT_EXAMPLES
    steps = options.steps or DEFAULT_STEPS
    test = machine_test(driver, scim_run, examples, steps, scim_run.output_dir / "hypothesis")
    try:
        test()
    except Exception as error:  # Nonconformance, or Hypothesis' flaky wrapper around one
        found = first_nonconformance(error)
        if found is None:
            raise
        raise Nonconformance(_report(found, driver, scim_run, examples, steps, error)) from None
    if driver.users_obtained == 0:
        raise BudgetExhausted(
            "the state machine could not obtain a single user (user budget "
            f"{factory.ledger.user_budget} spent, or every POST refused)"
        )


def _report(
    failure: Nonconformance,
    driver: Driver,
    scim_run: RunContext,
    examples: int,
    steps: int,
    raised: BaseException,
) -> str:
    """The failure, the shrunk sequence as HTTP requests, the seed, how to replay it."""
    transcript = driver.transcript
    replay = replay_command(scim_run.options, scim_run.seed, examples, steps)
    header = f"{str(failure).splitlines()[0]}\nseed {scim_run.seed}; replay: {replay}"
    script_path = scim_run.output_dir / f"stateful-failure-{next(_FAILURES)}.sh"
    profile_prefix = scim_run.profile.username_prefix
    random_part = f"$(LC_ALL=C tr -dc a-z0-9 </dev/urandom | head -c {len(scim_run.run_id)})"
    fresh = profile_prefix + random_part + driver.prefix[len(scim_run.factory.run_prefix) :]
    script = curl_script(transcript, scim_run.client.base_url, driver.prefix, header, fresh)
    script_path.write_text(script, encoding="utf-8")
    script_path.chmod(0o755)
    flaky = (
        ""
        if isinstance(raised, Nonconformance)
        else (
            "\n(The failure did not reproduce on every replay: the target may depend on timing, "
            "or on users recycled between examples.)"
        )
    )
    return (
        f"{failure}\n\n"
        f"Shortest failing sequence found ({len(transcript.steps)} steps; #n = evidence "
        f"exchange):\n{transcript.render()}\n\n"
        f"Seed: {scim_run.seed}\nReplay: {replay}\nCurl script: {script_path}{flaky}"
    )
