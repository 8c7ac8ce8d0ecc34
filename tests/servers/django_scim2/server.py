"""Serve django-scim2 on 127.0.0.1:PORT with a bearer token and a fresh SQLite database.

Usage: python server.py --port PORT --token TOKEN --db PATH
SCIM base URL: http://127.0.0.1:PORT/scim/v2
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--db", required=True, help="SQLite file (created, migrated)")
    args = parser.parse_args()
    os.environ.update(SCIMHOST_PORT=args.port, SCIMHOST_TOKEN=args.token, SCIMHOST_DB=args.db)
    os.environ["DJANGO_SETTINGS_MODULE"] = "scimhost.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False, verbosity=0)


if __name__ == "__main__":
    main()
