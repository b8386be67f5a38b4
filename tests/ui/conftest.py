"""Browser tests share the lab fixture (the device lab runs only when a test asks for it)."""
from zas.lab.pytest_plugin import lab  # noqa: F401  (a fixture, re-exported for these tests)
