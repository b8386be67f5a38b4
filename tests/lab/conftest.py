"""Lab tests: run with `-p zas.lab.pytest_plugin` (the top-level conftest loads it for the whole suite)."""
