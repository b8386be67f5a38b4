"""WSGI entry point for gunicorn: `gunicorn wsgi:app`."""
import sys

from dotenv import load_dotenv

# gunicorn does not read .env the way the `zas` (Flask) command line does; settings must match
load_dotenv()

from zas import create_app  # noqa: E402
from zas.errors import ConfigError  # noqa: E402

try:
    app = create_app()
except ConfigError as exc:  # one clear line, not a traceback, when a setting is wrong
    print(f"Error: {exc}", file=sys.stderr)
    sys.exit(1)

# without Redis, jobs and their schedules live in this (single) web process
from zas.jobs import embedded  # noqa: E402

embedded.start(app)
