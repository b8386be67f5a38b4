"""WSGI entry point for gunicorn: `gunicorn wsgi:app`."""
import sys

from zas import create_app
from zas.errors import ConfigError

try:
    app = create_app()
except ConfigError as exc:  # one clear line, not a traceback, when a setting is wrong
    print(f"Error: {exc}", file=sys.stderr)
    sys.exit(1)

# without Redis, jobs and their schedules live in this (single) web process
from zas.jobs import embedded  # noqa: E402

embedded.start(app)
