"""`scim-conformance report RESULTS.json`: rebuild the HTML (and PDF, Allure) from a saved run.

results.json is never rewritten: the report prints the digest of the file as it is, and a
copy sits beside the report when it is written elsewhere, so a reviewer gets the pair.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from conformance.commands.loading import ResultsError, load_results
from conformance.report import ReportSettings, write_reports
from conformance.report.pdf import PDF_FILE, PdfError, find_chromium, html_to_pdf
from conformance.results import sha256_file


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("results", metavar="RESULTS.json", help="results.json of an earlier run")
    parser.add_argument("--output-dir", metavar="DIR", help="default: the folder of RESULTS.json")
    parser.add_argument("--pdf", action="store_true", help="also print the report to PDF")
    parser.add_argument("--alluredir", metavar="DIR", help="also write Allure results there")


def main(args: argparse.Namespace) -> int:
    source = Path(args.results)
    try:
        results = load_results(source)
        if args.pdf:
            find_chromium()
    except (ResultsError, PdfError) as exc:
        print(f"scim-conformance: {exc}", file=sys.stderr)
        return 2
    output_dir = Path(args.output_dir) if args.output_dir else source.parent
    output_dir.mkdir(parents=True, exist_ok=True)
    copy = output_dir / "results.json"
    if not copy.exists() or not copy.samefile(source):
        shutil.copyfile(source, copy)
    results.meta["results_sha256"] = sha256_file(copy)
    settings = ReportSettings(
        allure=bool(args.alluredir), alluredir=Path(args.alluredir) if args.alluredir else None
    )
    paths = write_reports(results, output_dir, settings)
    for kind, path in paths.items():
        print(f"{kind}: {path}")
    if args.pdf:
        try:
            print(f"pdf: {html_to_pdf(paths['html'], output_dir / PDF_FILE)}")
        except PdfError as exc:
            print(f"scim-conformance: {exc}", file=sys.stderr)
            return 2
    return 0
