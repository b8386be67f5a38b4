"""Worker entry point for process managers that want a module: `python -m workers.worker`.

Same as `zas worker`: builds the app once, then runs the RQ worker and the cron scheduler.
"""
import sys

from zas.cli import main

if __name__ == "__main__":
    sys.argv = ["zas", "worker", *sys.argv[1:]]
    main()
