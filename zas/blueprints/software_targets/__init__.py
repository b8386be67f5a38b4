"""Software targets: the admin-set version per (platform, model) (api.py, /api/v1/software-targets)."""
