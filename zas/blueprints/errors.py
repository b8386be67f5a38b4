"""Errors: JSON `{code, status, message, errors?}` under /api/, HTML pages elsewhere."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from zas.errors import ZasError


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, message: str, errors: dict | None = None):
    body = {"code": code, "status": status, "message": message}
    if errors:
        body["errors"] = errors
    return jsonify(body), status


def init_app(app: Flask) -> None:
    @app.errorhandler(ZasError)
    def handle_zas_error(exc: ZasError):
        status = exc.http_status
        if is_api_request():
            return json_error(status, exc.code, str(exc), getattr(exc, "errors", None) or None)
        return render_template("error.html", status=status, message=str(exc)), status

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        if is_api_request():
            data = getattr(exc, "data", None) or {}
            messages = data.get("messages")
            errors = None
            if isinstance(messages, dict):
                # flask-smorest/webargs nest by location (json, query); callers want the fields
                errors = {}
                for loc_errors in messages.values():
                    if isinstance(loc_errors, dict):
                        errors.update(loc_errors)
            code = (exc.name or "error").lower().replace(" ", "_")
            message = exc.description or exc.name
            if errors:
                message = "invalid input: " + ", ".join(sorted(errors))
            return json_error(exc.code or 500, code, message, errors)
        return render_template("error.html", status=exc.code, message=exc.description), exc.code
