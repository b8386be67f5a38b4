"""How a request becomes a user: the session cookie for pages, a bearer token for the API."""
from __future__ import annotations

from flask import Flask, g, jsonify, redirect, request, url_for
from sqlalchemy import select

from zas.extensions import db, login_manager
from zas.models import User
from zas.services import accounts


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str):
        try:
            user_id, version = (int(x) for x in session_id.split(":"))
        except ValueError:
            return None
        user = db.session.scalar(select(User).where(User.id == user_id))
        if user is None or user.session_version != version or not user.is_active:
            return None
        return user

    @login_manager.request_loader
    def load_from_token(req):
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        found = accounts.user_for_token(header[7:].strip())
        if found is None:
            return None
        user, token = found
        g.api_token = token
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/"):
            body = {"code": "unauthorized", "status": 401, "message": "authentication required"}
            return jsonify(body), 401, {"WWW-Authenticate": 'Bearer realm="zas"'}
        target = url_for("auth.login", next=request.full_path if request.query_string else request.path)
        if request.headers.get("HX-Request") == "true":
            # an htmx swap would paste the login page into a fragment; make the browser navigate
            return "", 401, {"HX-Redirect": target}
        return redirect(target)
