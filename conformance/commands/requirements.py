"""`scim-conformance requirements`: print the catalogue, grouped by document and section."""

from __future__ import annotations

import argparse
import json

from conformance.catalogue import CATALOGUE
from conformance.plugin import selected


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--select", help="only ids matching these prefixes or globs")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _section_key(section: str) -> tuple[int | str, ...]:
    return tuple(int(part) if part.isdigit() else part for part in section.split("."))


def main(args: argparse.Namespace) -> int:
    entries = [r for r in CATALOGUE.values() if selected(r.id, args.select)]
    entries.sort(key=lambda r: (r.doc, _section_key(r.section), r.id))
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "requirement": r.ref,
                        "level": r.level.value,
                        "statement": r.statement,
                        "url": r.url,
                    }
                    for r in entries
                ],
                indent=2,
            )
        )
        return 0
    width = max((len(r.id) for r in entries), default=10)
    for r in entries:
        print(f"{r.id:<{width}}  {r.ref:<18} {r.level.value:<6} {r.statement}")
    print(f"{len(entries)} requirements")
    return 0
