"""Login and logout pages."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from zas.blueprints.auth.forms import LoginForm
from zas.services.authn import attempt_login

bp = Blueprint("auth", __name__)


def client_address() -> str:
    return request.remote_addr or "unknown"


def _safe_next(target: str | None) -> str:
    """Only local paths: an open redirect after login is a phishing tool."""
    if not target:
        return url_for("core.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("core.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign-in page."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user, error = attempt_login(form.username.data, form.password.data, client_address())
        if user is not None:
            # a new session at login: whatever was in the old one (a planted id) is dropped
            session.clear()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form, error=error), (401 if error else 200)


@bp.post("/logout")
@login_required
def logout():
    """Sign out and drop the session."""
    logout_user()
    session.clear()
    flash("Signed out.", "info")
    return redirect(url_for("auth.login"))
