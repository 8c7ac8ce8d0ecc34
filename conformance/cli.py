"""`scim-conformance`: argument parsing and dispatch to one module per sub-command.

Exit codes (documented in README): 0 pass, 1 failures at the --fail-on level,
2 usage or configuration error, 3 target unreachable or authentication refused,
4 the suite could not judge some checks (errors, no failure).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from conformance import __version__

EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_TARGET, EXIT_SUITE_ERROR = 0, 1, 2, 3, 4

# sub-command -> (module with add_arguments(parser) and main(args) -> int, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("conformance.commands.run", "run the suite against a target (or the sandbox)"),
    "sandbox": ("conformance.sandbox.command", "serve the embedded reference SCIM target"),
    "requirements": (
        "conformance.commands.requirements",
        "list the requirement catalogue",
    ),
    "cleanup": ("conformance.commands.cleanup", "remove what an earlier run left behind"),
    "report": ("conformance.commands.report", "rebuild the HTML/PDF report from a results.json"),
    "baseline": ("conformance.commands.baseline", "write a baseline of accepted deviations"),
    "diff": ("conformance.commands.diff", "show what changed between two results.json files"),
}


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with one line instead of the usage block."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the chosen sub-command's module is imported (fast, and isolated)."""
    parser = _Parser(
        prog="scim-conformance",
        description="SCIM 2.0 (RFC 7643/7644) conformance and contract test suite.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    for name, (module_name, help_text) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            module = importlib.import_module(module_name)
            module.add_arguments(sub)
            sub.set_defaults(_main=module.main)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    chosen = next((arg for arg in argv if not arg.startswith("-")), None)
    parser = build_parser(chosen if chosen in COMMANDS else None)
    args = parser.parse_args(argv)
    try:
        code: int = args._main(args)
    except KeyboardInterrupt:
        sys.stderr.write("scim-conformance: interrupted\n")
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
