"""Reading a saved results.json for the commands that work on earlier runs."""

from __future__ import annotations

import json
from pathlib import Path

from conformance.results import FORMAT_VERSION, RunResults


class ResultsError(ValueError):
    """Not a readable results.json of this tool: one line for the terminal."""


def load_results(path: Path) -> RunResults:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ResultsError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise ResultsError(f"{path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or "checks" not in data or "meta" not in data:
        raise ResultsError(f"{path} is not a scim-conformance results.json")
    if data.get("format") != FORMAT_VERSION:
        raise ResultsError(
            f"{path} has results format {data.get('format')!r}; "
            f"this version reads format {FORMAT_VERSION}"
        )
    try:
        return RunResults.read(path)
    except TypeError as exc:
        raise ResultsError(f"{path}: unexpected check fields ({exc})") from None
