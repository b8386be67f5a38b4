"""`python -m zas.lab up|down|status` without the Flask app; `serve` is the server process itself."""
import sys

from zas.lab.cli import main

if __name__ == "__main__":
    sys.exit(main())
