"""A report file as a streamed HTTP download (shared by the page and the API)."""
from __future__ import annotations

from flask import Response, stream_with_context

from zas.services import render


def report_response(report, fmt: str) -> Response:
    """Stream `report` in `fmt`; files come as attachments named zas-<report>-<date>.<ext>."""
    resp = Response(stream_with_context(render.render(report, fmt)), content_type=render.CONTENT_TYPES[fmt])
    if fmt != "json":
        resp.headers["Content-Disposition"] = f'attachment; filename="{render.filename(report, fmt)}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp


def stored_response(stored) -> Response:
    """A stored report file as an attachment."""
    fmt = stored.format if stored.format in render.CONTENT_TYPES else "csv"
    resp = Response(stored.content, content_type=render.CONTENT_TYPES[fmt])
    resp.headers["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp
