"""`scim-conformance run`: open the run, hand it to pytest, print the verdict and exit code."""

from __future__ import annotations

import argparse
import sys
from importlib import metadata
from pathlib import Path

import pytest

from conformance.config import AuthOptions
from conformance.console import print_gate, print_header, print_summary
from conformance.errors import ConfigError, TargetUnavailable
from conformance.plugin import REPORT_KEY, RUN_KEY, ProvidedRun
from conformance.report import ReportSettings
from conformance.report.baseline import Baseline, BaselineError, Gate
from conformance.report.html import REPORT_FILE
from conformance.report.pdf import PDF_FILE, PdfError, find_chromium, html_to_pdf
from conformance.results import RunResults
from conformance.run import RunContext, RunOptions, open_run

SUITES_DIR = Path(__file__).resolve().parent.parent / "suites"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    target = parser.add_argument_group("target")
    target.add_argument("--target", metavar="URL", help="SCIM base URL (default: the sandbox)")
    target.add_argument("--profile", metavar="NAME|PATH", help="built-in profile or TOML file")
    target.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    target.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    auth = parser.add_argument_group("authentication (secrets come from env vars or files)")
    auth.add_argument("--token-env", metavar="VAR", help="bearer token variable (SCIM_TOKEN)")
    auth.add_argument("--token-file", metavar="PATH", help="file holding the bearer token")
    auth.add_argument("--basic-user-env", metavar="VAR")
    auth.add_argument("--basic-password-env", metavar="VAR")
    auth.add_argument("--oauth-token-url", metavar="URL", help="OAuth client-credentials endpoint")
    auth.add_argument("--client-id-env", metavar="VAR")
    auth.add_argument("--client-secret-env", metavar="VAR")
    auth.add_argument("--scope", metavar="S", help="OAuth scope")
    run = parser.add_argument_group("run")
    run.add_argument("--output-dir", metavar="DIR", help="default reports/<timestamp>/")
    run.add_argument("--select", metavar="EXPR", help="check-id prefixes or globs, ',' separated")
    run.add_argument("--seed", type=int, help="seed for generated data and Hypothesis")
    run.add_argument("--read-only", action="store_true", help="make no writes at all")
    run.add_argument("--fail-on", choices=("must", "should"), default="must")
    run.add_argument("--max-users", type=int, metavar="N", help="most users the run may create")
    run.add_argument("--examples", type=int, metavar="N", help="Hypothesis examples per machine")
    run.add_argument("--steps", type=int, metavar="N", help="steps per Hypothesis example")
    reports = parser.add_argument_group("reports and gating")
    reports.add_argument("--pdf", action="store_true", help="also print report.html to PDF")
    reports.add_argument(
        "--alluredir", metavar="DIR", help="Allure results (default: <output-dir>/allure-results)"
    )
    reports.add_argument("--no-allure", action="store_true", help="write no Allure results")
    reports.add_argument(
        "--baseline",
        metavar="FILE",
        help="accepted deviations (from `scim-conformance baseline`): only new failures fail",
    )
    sandbox = parser.add_argument_group("sandbox (used when no --target is given)")
    sandbox.add_argument("--flavour", choices=("rfc", "bizagi"), help="default: the profile's")
    sandbox.add_argument("--fault", action="append", default=[], metavar="NAME")
    parser.add_argument("--verbose", "-v", action="store_true", help="show pytest's own output")


def options_from(args: argparse.Namespace) -> RunOptions:
    return RunOptions(
        target=args.target,
        profile=args.profile,
        output_dir=args.output_dir,
        auth=AuthOptions(
            token_env=args.token_env,
            token_file=args.token_file,
            basic_user_env=args.basic_user_env,
            basic_password_env=args.basic_password_env,
            oauth_token_url=args.oauth_token_url,
            client_id_env=args.client_id_env,
            client_secret_env=args.client_secret_env,
            scope=args.scope,
        ),
        select=args.select,
        seed=args.seed,
        read_only=args.read_only,
        fail_on=args.fail_on,
        max_users=args.max_users,
        faults=tuple(args.fault),
        flavour=args.flavour,
        timeout=args.timeout,
        insecure=args.insecure,
        examples=args.examples,
        steps=args.steps,
    )


def _plugin_installed() -> bool:
    return any(ep.value == "conformance.plugin" for ep in metadata.entry_points(group="pytest11"))


def pytest_args(context: RunContext, *, verbose: bool) -> list[str]:
    args = [
        str(SUITES_DIR),
        "--rootdir",
        str(SUITES_DIR),
        "-c",
        str(SUITES_DIR / "pytest.ini"),
        "-p",
        "no:cacheprovider",
        # Checks judge with Nonconformance messages, not rewritten asserts; rewriting every
        # plugin module on each run (no bytecode cache in some environments) costs seconds.
        "--assert=plain",
        f"--hypothesis-seed={context.seed}",
    ]
    args += (
        ["-v", "--tb=short"]
        if verbose
        else ["-q", "--tb=no", "--no-header", "-rN", "-p", "no:warnings"]
    )
    if not _plugin_installed():
        args += ["-p", "conformance.plugin"]
    return args


def report_settings(args: argparse.Namespace) -> ReportSettings:
    """The report flags, checked before the run starts (a bad baseline is a usage error)."""
    if args.no_allure and args.alluredir:
        raise ConfigError("--alluredir and --no-allure contradict each other")
    baseline = Baseline.read(Path(args.baseline)) if args.baseline else None
    if args.pdf:
        find_chromium()
    if args.alluredir:
        try:
            Path(args.alluredir).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"--alluredir {args.alluredir}: {exc.strerror}") from None
    return ReportSettings(
        allure=not args.no_allure,
        alluredir=Path(args.alluredir) if args.alluredir else None,
        baseline=baseline,
    )


class _Capture:
    """Hands the report settings to the plugin; keeps the RunResults it built."""

    results: RunResults | None = None

    def __init__(self, settings: ReportSettings) -> None:
        self.settings = settings

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[REPORT_KEY] = self.settings

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.results = session.config.stash.get(RUN_KEY, None)


def open_or_explain(args: argparse.Namespace) -> RunContext | int:
    """The opened run, or the exit code after one line saying why it could not open."""
    try:
        return open_run(options_from(args))
    except ConfigError as exc:
        print(f"scim-conformance: configuration error: {exc}", file=sys.stderr)
        return 2
    except TargetUnavailable as exc:
        print(f"scim-conformance: {exc}", file=sys.stderr)
        return 3


def main(args: argparse.Namespace) -> int:
    try:
        settings = report_settings(args)
    except (ConfigError, BaselineError, PdfError) as exc:
        print(f"scim-conformance: {exc}", file=sys.stderr)
        return 2
    context = open_or_explain(args)
    if isinstance(context, int):
        return context
    capture = _Capture(settings)
    try:
        print_header(context)
        code = pytest.main(
            pytest_args(context, verbose=args.verbose), plugins=[ProvidedRun(context), capture]
        )
    finally:
        context.close()
    results = capture.results
    if results is None:
        print(f"scim-conformance: the suite did not complete (pytest exit {code})", file=sys.stderr)
        return 4
    print_summary(results, context.output_dir)
    gate = Gate.from_dict(results.meta["gate"])
    print_gate(gate)
    code = exit_code(results, gate)
    if args.pdf:
        try:
            pdf = html_to_pdf(context.output_dir / REPORT_FILE, context.output_dir / PDF_FILE)
        except PdfError as exc:
            print(f"scim-conformance: {exc}", file=sys.stderr)
            return code or 2
        print(f"pdf: {pdf}")
    return code


def exit_code(results: RunResults, gate: Gate) -> int:
    """1 for failures the baseline does not accept, 4 if the suite could not judge some."""
    if not gate.passed:
        return 1
    if any(check.outcome == "error" for check in results.checks):
        return 4
    return 0
