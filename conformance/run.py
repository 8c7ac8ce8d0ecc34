"""A run: the options resolved into a live context (target, client, discovery, ledger).

The CLI opens the run before pytest starts, so that bad input and an unreachable target end
with one clear line and a distinct exit code; under plain `pytest` the plugin opens it lazily.
"""

from __future__ import annotations

import contextlib
import secrets
import string
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conformance import __version__
from conformance.config import AuthOptions, build_auth, strip_credentials, validate_base_url
from conformance.discovery import Capabilities, discover
from conformance.errors import AuthenticationFailed, ConfigError, TargetUnavailable
from conformance.evidence import EvidenceLog
from conformance.factory import Factory
from conformance.http import ScimClient, json_or_none
from conformance.ledger import Ledger
from conformance.profile import Profile, load_profile
from conformance.redact import Redactor


@dataclass
class RunOptions:
    """Everything a run is asked to do, whoever asked (CLI flags or pytest options)."""

    target: str | None = None
    profile: str | None = None
    output_dir: str | None = None
    auth: AuthOptions = field(default_factory=AuthOptions)
    select: str | None = None
    seed: int | None = None
    read_only: bool = False
    fail_on: str = "must"
    max_users: int | None = None
    faults: tuple[str, ...] = ()
    flavour: str | None = None
    timeout: float = 30.0
    insecure: bool = False
    examples: int | None = None
    steps: int | None = None


@dataclass
class RunContext:
    """The live state shared by every check of a run."""

    options: RunOptions
    profile: Profile
    run_id: str
    seed: int
    output_dir: Path
    target: str
    client: ScimClient
    evidence: EvidenceLog
    redactor: Redactor
    ledger: Ledger
    capabilities: Capabilities
    factory: Factory
    sandbox: Any = None
    started_at: str = ""
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def meta(self) -> dict[str, Any]:
        """Run metadata for results.json (no secret: the target URL is stripped)."""
        return {
            "tool": "scim-conformance",
            "version": __version__,
            "target": strip_credentials(self.target),
            "sandbox": (
                {"flavour": self.sandbox.flavour, "faults": list(self.sandbox.faults)}
                if self.sandbox is not None
                else None
            ),
            "profile": self.profile.name,
            "profile_source": self.profile.source,
            "run_id": self.run_id,
            "seed": self.seed,
            "read_only": self.options.read_only,
            "fail_on": self.options.fail_on,
            "select": self.options.select,
            "started_at": self.started_at,
            "finished_at": _now(),
            "requests": self.evidence.total_requests,
        }

    def close(self) -> None:
        """Release the client and stop the sandbox (cleanup has run at session end)."""
        self._stack.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_run_id() -> str:
    """Five lower-case characters: short enough for Bizagi's 25-character userNames."""
    alphabet = string.ascii_lowercase + string.digits
    return secrets.choice(string.ascii_lowercase) + "".join(
        secrets.choice(alphabet) for _ in range(4)
    )


def open_run(options: RunOptions) -> RunContext:
    """Resolve the options and reach the target; raises ConfigError or TargetUnavailable."""
    profile = load_profile(options.profile)
    if options.max_users is not None:
        if options.max_users < 1:
            raise ConfigError("--max-users must be at least 1")
        profile = _with_budget(profile, options.max_users)
    if options.fail_on not in ("must", "should"):
        raise ConfigError("--fail-on must be 'must' or 'should'")
    run_id = new_run_id()
    seed = options.seed if options.seed is not None else secrets.randbelow(2**31)
    started = _now()
    output_dir = Path(
        options.output_dir or Path("reports") / datetime.now().strftime("%Y%m%d-%H%M%S")
    )
    stack = contextlib.ExitStack()
    try:
        redactor = Redactor()
        sandbox = None
        if options.target and (options.faults or options.flavour):
            raise ConfigError("--fault and --flavour apply to the sandbox only (no --target)")
        if options.target:
            target = validate_base_url(options.target)
            auth = build_auth(options.auth, base_url=target, profile=profile, redactor=redactor)
        else:
            sandbox, target, auth = _start_sandbox(options, profile, redactor, stack)
        output_dir.mkdir(parents=True, exist_ok=True)
        evidence = EvidenceLog()
        client = ScimClient(
            target,
            auth=auth,
            redactor=redactor,
            evidence=evidence,
            run_id=run_id,
            timeout=options.timeout,
            verify=not options.insecure,
        )
        stack.callback(client.close)
        evidence.begin("preflight")
        capabilities = preflight(client)
        ledger = Ledger(output_dir / "ledger.jsonl", run_id=run_id, user_budget=profile.user_budget)
        factory = Factory(client, capabilities, profile, ledger, run_id)
        return RunContext(
            options=options,
            profile=profile,
            run_id=run_id,
            seed=seed,
            output_dir=output_dir,
            target=target,
            client=client,
            evidence=evidence,
            redactor=redactor,
            ledger=ledger,
            capabilities=capabilities,
            factory=factory,
            sandbox=sandbox,
            started_at=started,
            _stack=stack,
        )
    except BaseException:
        stack.close()
        raise


def _with_budget(profile: Profile, budget: int) -> Profile:
    from dataclasses import replace

    return replace(profile, user_budget=budget)


def _start_sandbox(
    options: RunOptions, profile: Profile, redactor: Redactor, stack: contextlib.ExitStack
) -> tuple[Any, str, Any]:
    """Start the embedded target; the bizagi flavour is reached through its token endpoint."""
    from conformance.auth import BearerAuth, ClientCredentialsAuth
    from conformance.sandbox import start_sandbox

    flavour = options.flavour or profile.sandbox_flavour
    try:
        sandbox = start_sandbox(flavour, options.faults)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    stack.callback(sandbox.stop)
    redactor.add(sandbox.token)
    redactor.add(sandbox.client_secret)
    if flavour == "bizagi":
        auth: Any = ClientCredentialsAuth(
            sandbox.token_url,
            sandbox.client_id,
            sandbox.client_secret,
            scope=profile.oauth_scope,
            redactor=redactor,
        )
    else:
        auth = BearerAuth(sandbox.token)
    return sandbox, sandbox.base_url, auth


def preflight(client: ScimClient) -> Capabilities:
    """Reachability and authentication first, so a wrong token is one line, not 100 failures."""
    spc_url = client.url("/ServiceProviderConfig")
    try:
        response = client.get("/ServiceProviderConfig")
    except TargetUnavailable as exc:
        if isinstance(exc, AuthenticationFailed):
            raise
        raise TargetUnavailable(f"target unreachable: {exc}") from None
    if response.status_code in (401, 403):
        raise AuthenticationFailed(
            f"authentication failed: {response.status_code} at GET {spc_url}"
        )
    capabilities = discover(client)
    users = capabilities.users
    probe_path = users.path if users else "/Users"
    probe = client.get(probe_path, params={"filter": 'userName eq "scim-conformance-preflight"'})
    if probe.status_code in (401, 403):
        raise AuthenticationFailed(
            f"authentication failed: {probe.status_code} at GET {client.url(probe_path)}"
        )
    if json_or_none(response) is None and json_or_none(probe) is None:
        kind = response.headers.get("Content-Type", "no content type").split(";")[0]
        raise TargetUnavailable(
            f"not a SCIM endpoint: GET {spc_url} answered {response.status_code} {kind} "
            "(check the base URL)"
        )
    return capabilities


def cleanup(context: RunContext) -> None:
    """Remove (or, where DELETE only deactivates, deactivate) what the run created."""
    context.evidence.begin("cleanup")
    factory, ledger = context.factory, context.ledger
    for entry in ledger.pending():
        path = factory.path_of(entry.resource_type, entry.id, entry.name)
        try:
            response = context.client.delete(path)
        except TargetUnavailable as exc:
            ledger.mark(entry.resource_type, entry.id, "cleanup-failed", str(exc))
            continue
        if response.status_code in (200, 204):
            state = (
                "deactivated"
                if entry.resource_type == "User" and context.profile.deletes_logically
                else "deleted"
            )
            ledger.mark(entry.resource_type, entry.id, state)
        elif response.status_code == 404 and not context.profile.deletes_logically:
            ledger.mark(entry.resource_type, entry.id, "gone")
        else:
            ledger.mark(
                entry.resource_type,
                entry.id,
                "cleanup-failed",
                f"DELETE answered {response.status_code}",
            )
    context.evidence.take()


def elapsed_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
