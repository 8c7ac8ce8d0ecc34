"""Throughput of the state machine: steps per second, and the suite's own CPU per request.

Not a test. The target (the embedded sandbox by default) runs as its own process, so that
the CPU time measured here, `time.process_time()` of this process, is the suite's alone:
Hypothesis, the strategies, the oracle, the recording client. Usage:

    python benchmarks/stateful_throughput.py [--examples 20] [--steps 20] [--seed 1]
    python benchmarks/stateful_throughput.py --target URL   # token in $SCIM_TOKEN
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conformance.config import AuthOptions
from conformance.run import RunOptions, cleanup, open_run
from conformance.suites._machine import machine_test, new_driver
from conformance.suites._stateful import first_nonconformance

TOKEN_ENV = "SCIM_TOKEN"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_sandbox(flavour: str) -> tuple[subprocess.Popen[bytes], str]:
    """`scim-conformance sandbox` in its own process; returns it and its base URL."""
    port, token = _free_port(), secrets.token_urlsafe(16)
    os.environ[TOKEN_ENV] = token
    process = subprocess.Popen(
        [sys.executable, "-m", "conformance", "sandbox", "--port", str(port), "--token", token,
         "--flavour", flavour],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    import socket

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    path = "/scim/v2" if flavour == "bizagi" else "/v2"
    return process, f"http://127.0.0.1:{port}{path}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", help="SCIM base URL (default: the sandbox, started here)")
    parser.add_argument("--examples", type=int, default=20)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-users", type=int, default=50)
    args = parser.parse_args()

    sandbox = None
    target = args.target
    if target is None:
        sandbox, target = _start_sandbox("rfc")
    output = Path(tempfile.mkdtemp(prefix="scimc-bench-"))
    options = RunOptions(
        target=target,
        output_dir=str(output),
        seed=args.seed,
        examples=args.examples,
        steps=args.steps,
        max_users=args.max_users,
        auth=AuthOptions(token_env=TOKEN_ENV),
    )
    context = open_run(options)
    try:
        context.evidence.begin("stateful/sequences")
        driver = new_driver(context)
        test = machine_test(driver, context, args.examples, args.steps, None)
        requests_before = context.evidence.total_requests
        wall, cpu = time.perf_counter(), time.process_time()
        outcome = "no disagreement with the oracle"
        try:
            test()
        except Exception as error:  # a failure of the target still measures throughput
            found = first_nonconformance(error)
            outcome = f"failure found: {str(found or error).splitlines()[0][:120]}"
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        requests = context.evidence.total_requests - requests_before
    finally:
        cleanup(context)
        context.close()
        if sandbox is not None:
            sandbox.terminate()
            sandbox.wait(timeout=10)
    steps = driver.steps_run
    print(f"target          {target}{' (sandbox, own process)' if sandbox else ''}")
    print(f"effort          {args.examples} examples x {args.steps} steps, seed {args.seed}")
    print(f"outcome         {outcome}")
    print(f"steps           {steps} in {wall:.1f} s  ->  {steps / wall:.1f} steps/s")
    print(f"requests        {requests}  ->  {requests / wall:.1f} requests/s")
    print(f"suite CPU       {cpu:.2f} s  ->  {1000 * cpu / max(1, requests):.2f} ms per request")
    print(f"users created   {context.ledger.users_created} (budget {args.max_users})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
