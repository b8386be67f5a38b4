"""Reports: the Reports page (views.py, /reports) and the REST API (api.py, /api/v1/reports)."""
