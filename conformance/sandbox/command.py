"""`scim-conformance sandbox`: serve the embedded target in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import os
import sys
import threading

from conformance.sandbox.faults import FAULTS, FLAVOURS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", dest="sandbox_port", type=int, default=0,
        help="port to listen on, on 127.0.0.1 (default: a free port)",
    )  # fmt: skip
    parser.add_argument(
        "--flavour", "--flavor", dest="sandbox_flavour", choices=FLAVOURS, default="rfc",
        help="rfc: conformant SCIM 2.0 at /v2; bizagi: twin of Bizagi's API at /scim/v2",
    )  # fmt: skip
    parser.add_argument(
        "--fault", dest="sandbox_faults", action="extend", nargs="+", default=[],
        metavar="NAME", help="switch on a named fault (repeatable; see --list-faults)",
    )  # fmt: skip
    parser.add_argument(
        "--token", dest="sandbox_token", default=None,
        help="the static bearer token to accept (default: a random one)",
    )  # fmt: skip
    parser.add_argument(
        "--list-faults", dest="sandbox_list_faults", action="store_true",
        help="print the fault catalogue and exit",
    )  # fmt: skip


def fault_table() -> str:
    """The catalogue as an aligned table: name, clause, level, flavours, description."""
    rows = [("NAME", "CLAUSE", "LEVEL", "FLAVOURS", "DESCRIPTION")]
    rows += [
        (f.name, f.clause, f.level, ",".join(f.flavours), f.description) for f in FAULTS.values()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
        + "  "
        + row[4]
        for row in rows
    )


def main(args: argparse.Namespace) -> int:
    if args.sandbox_list_faults:
        try:
            print(fault_table(), flush=True)
        except BrokenPipeError:  # `... --list-faults | head`
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    from conformance.sandbox.server import start_sandbox

    try:
        server = start_sandbox(
            args.sandbox_flavour,
            args.sandbox_faults,
            port=args.sandbox_port,
            token=args.sandbox_token,
            log_requests=True,
        )
    except (ValueError, OSError) as exc:
        sys.stderr.write(f"scim-conformance sandbox: {exc}\n")
        return 2
    # A local throwaway server: printing its own credentials is the point.
    print(f"SCIM sandbox ({server.flavour}) serving {server.base_url}", flush=True)
    print(f"  faults:         {', '.join(server.faults) or 'none'}")
    print(f"  bearer token:   {server.token}")
    print(f"  token URL:      {server.token_url}")
    print(f"  client id:      {server.client_id}")
    print(f"  client secret:  {server.client_secret}")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    print("sandbox stopped", flush=True)
    return 0
