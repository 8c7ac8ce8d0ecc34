"""`python -m conformance.sandbox`: the sandbox command without the rest of the CLI."""

import argparse

from conformance.sandbox.command import add_arguments, main

parser = argparse.ArgumentParser(prog="python -m conformance.sandbox")
add_arguments(parser)
raise SystemExit(main(parser.parse_args()))
