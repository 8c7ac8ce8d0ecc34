"""How long the hand-written suite takes against a local target, and what it costs us.

    python benchmarks/suite_runtime.py [--repeat 3] [--profile generic]

Runs `scim-conformance run` (sandbox, Hypothesis and schemathesis checks excluded) a few
times and prints wall time, the suite's CPU time, requests and checks. The target for issue 4
is under 30 s on this 2-core machine. Not a test: timings belong in a benchmark.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HAND_WRITTEN = "!stateful,!contract"


def one_run(profile: str, output: Path) -> tuple[float, float, int, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "conformance", "run", "--profile", profile, "--select",
         HAND_WRITTEN, "--no-allure", "--output-dir", str(output)],
        check=False, capture_output=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    results = json.loads((output / "results.json").read_text())
    return wall, cpu, results["meta"]["requests"], results["summary"]["total"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", default="generic")
    args = parser.parse_args()
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(args.repeat):
            wall, cpu, requests, checks = one_run(args.profile, Path(tmp) / str(index))
            walls.append(wall)
            cpus.append(cpu)
            print(
                f"run {index + 1}: {wall:.1f} s wall, {cpu:.1f} s CPU (suite and sandbox), "
                f"{requests} requests, {checks} checks"
            )
    print(
        f"median wall {statistics.median(walls):.1f} s (target < 30 s); "
        f"median CPU {statistics.median(cpus):.1f} s; "
        f"CPU per request {1000 * statistics.median(cpus) / max(requests, 1):.2f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
