"""Helpers every page view shares: page-or-fragment rendering, list query arguments, diff layout."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from flask import make_response, render_template, request

from zas.errors import ValidationError

DEFAULT_PAGE_SIZE = 50
PAGE_SIZES = (25, 50, 100, 200)


def wants_fragment() -> bool:
    """An htmx swap into part of the page; boosted navigation and history restores get the page."""
    h = request.headers
    return (h.get("HX-Request") == "true" and h.get("HX-Boosted") != "true"
            and h.get("HX-History-Restore-Request") != "true")


def render_page_or_fragment(page_template: str, fragment_template: str, /, status: int = 200, **context):
    """The full page normally, only the fragment for an htmx swap; one URL, two representations."""
    template = fragment_template if wants_fragment() else page_template
    resp = make_response(render_template(template, **context), status)
    resp.vary.add("HX-Request")
    return resp


def int_arg(args, name: str, default: int | None = None, minimum: int | None = None) -> int | None:
    """An integer query argument; blank means `default`, anything else not a number is a ValidationError."""
    raw = (args.get(name) or "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError(f"{name} must be a whole number", field=name) from None
    if minimum is not None and value < minimum:
        raise ValidationError(f"{name} must be at least {minimum}", field=name)
    return value


DEVICE_TEXT_FILTERS = ("platform", "status", "tag", "software_version", "model", "drift_status", "q")
DEVICE_INT_FILTERS = ("organization_id", "site_id")


@dataclass
class DeviceListArgs:
    """The device list's query string as the filters dict `inventory.list_devices` takes (the API's too)."""

    filters: dict = field(default_factory=dict)
    sort: str = "name"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def from_request(cls, args=None) -> "DeviceListArgs":
        """Parse `request.args`; raises ValidationError naming the bad argument."""
        args = request.args if args is None else args
        filters: dict = {}
        for name in DEVICE_INT_FILTERS:
            value = int_arg(args, name, minimum=1)
            if value is not None:
                filters[name] = value
        for name in DEVICE_TEXT_FILTERS:
            value = (args.get(name) or "").strip()
            if value:
                filters[name] = value[:128]
        page_size = int_arg(args, "page_size", DEFAULT_PAGE_SIZE, minimum=1)
        return cls(filters=filters, sort=(args.get("sort") or "name").strip(),
                   page=int_arg(args, "page", 1, minimum=1), page_size=min(page_size, max(PAGE_SIZES)))

    def query(self, **changes) -> dict:
        """Query-string values for a link to this view with `changes` applied (None drops a key)."""
        values = dict(self.filters)
        values.update(sort=self.sort, page=self.page, page_size=self.page_size)
        values.update(changes)
        if values.get("sort") == "name":
            values.pop("sort")
        if values.get("page") == 1:
            values.pop("page")
        if values.get("page_size") == DEFAULT_PAGE_SIZE:
            values.pop("page_size")
        return {k: v for k, v in values.items() if v not in (None, "")}


@dataclass
class SideBySideRow:
    """One row of a side-by-side diff: line numbers and text on each side, and what happened."""

    tag: str  # equal, replace, delete, insert, skip
    left_no: int | None = None
    left: str = ""
    right_no: int | None = None
    right: str = ""


def side_by_side(old: str, new: str, context: int = 3) -> list[SideBySideRow]:
    """Rows for a two-column diff of `old` and `new`, unchanged runs folded to `context` lines."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[SideBySideRow] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if rows:
            rows.append(SideBySideRow("skip"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [SideBySideRow("equal", i + 1, a[i], j + 1, b[j]) for i, j in zip(range(i1, i2), range(j1, j2))]
                continue
            left, right = list(range(i1, i2)), list(range(j1, j2))
            for k in range(max(len(left), len(right))):
                i = left[k] if k < len(left) else None
                j = right[k] if k < len(right) else None
                row_tag = tag if tag != "replace" else ("replace" if i is not None and j is not None
                                                         else ("delete" if i is not None else "insert"))
                rows.append(SideBySideRow(row_tag, i + 1 if i is not None else None, a[i] if i is not None else "",
                                          j + 1 if j is not None else None, b[j] if j is not None else ""))
    return rows


def diff_line_class(line: str) -> str:
    """CSS class of a unified diff line."""
    if line.startswith(("+++", "---")):
        return "file"
    if line.startswith("@@"):
        return "hunk"
    if line.startswith("+"):
        return "add"
    if line.startswith("-"):
        return "del"
    return ""


def form_errors(form, exc: ValidationError) -> str | None:
    """Put a service's field errors beside the form's fields; return the message no field can show."""
    leftover: list[str] = []
    for name, messages in (exc.errors or {}).items():
        target = getattr(form, name, None) if name else None
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + [str(m) for m in messages]
        else:
            leftover += [f"{name}: {m}" if name else str(m) for m in messages]
    if not exc.errors:
        leftover.append(str(exc))
    return " ".join(leftover) or None


def optional_int(value):
    """Coerce for select fields whose blank choice means 'none'."""
    if value in (None, "", "None"):
        return None
    return int(value)


def org_choices(min_role: str, blank: str | None = None) -> list[tuple]:
    """(id, name) of the organizations where the caller has `min_role`, for a select field."""
    from sqlalchemy import select

    from zas.blueprints.access import current_scope
    from zas.extensions import db
    from zas.models import Organization
    from zas.services.authz import visible

    query = visible(select(Organization), Organization.id, current_scope(), min_role).order_by(Organization.name)
    choices = [(o.id, o.name) for o in db.session.scalars(query)]
    return ([("", blank)] if blank is not None else []) + choices


def save_form(form, save, *, title: str, crumbs, cancel_url: str, success: str, redirect_to, **page):
    """Validate `form`, call `save(data)` (a service call), commit and redirect; else the form again,
    each error beside its field and every value kept (422)."""
    from flask import flash, redirect, render_template

    from zas.extensions import db

    error = None
    if form.is_submitted():
        if form.validate():
            try:
                obj = save({k: v for k, v in form.data.items() if k != "csrf_token"})
            except ValidationError as exc:
                db.session.rollback()
                error = form_errors(form, exc)
            else:
                db.session.commit()
                flash(success, "success")
                return redirect(redirect_to(obj))
        status = 422
    else:
        status = 200
    template = page.pop("template", "_form_page.html")
    return render_template(template, form=form, title=title, crumbs=crumbs, cancel_url=cancel_url,
                           error=error, **page), status
