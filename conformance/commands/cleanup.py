"""`scim-conformance cleanup LEDGER`: finish the cleanup of an interrupted run.

Only what the ledger names is touched: resources that run created and did not remove.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from conformance.commands.run import add_arguments as add_run_arguments
from conformance.commands.run import open_or_explain
from conformance.ledger import read_ledger
from conformance.run import cleanup


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ledger", type=Path, help="ledger.jsonl of the run to clean up")
    add_run_arguments(parser)


def main(args: argparse.Namespace) -> int:
    if not args.ledger.is_file():
        print(f"scim-conformance: no ledger at {args.ledger}", file=sys.stderr)
        return 2
    try:
        pending = [
            entry
            for entry in read_ledger(args.ledger).values()
            if entry["state"] in ("created", "cleanup-failed")
        ]
    except (ValueError, KeyError) as exc:
        print(f"scim-conformance: {args.ledger} is not a ledger: {exc}", file=sys.stderr)
        return 2
    if not pending:
        print("nothing to clean up")
        return 0
    if not args.target:
        print("scim-conformance: cleanup needs --target (the run's target)", file=sys.stderr)
        return 2
    context = open_or_explain(args)
    if isinstance(context, int):
        return context
    try:
        for entry in pending:
            context.ledger.created(
                entry["resource_type"],
                entry["id"],
                location=entry.get("location", ""),
                name=entry.get("name", ""),
                check="cleanup",
            )
        cleanup(context)
    finally:
        context.close()
    for done in context.ledger.entries.values():
        print(f"{done.state:<15} {done.resource_type}/{done.id} {done.name}")
    failed = [e for e in context.ledger.entries.values() if e.state == "cleanup-failed"]
    return 1 if failed else 0
