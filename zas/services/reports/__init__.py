"""Reports: one query layer per report (rows streamed plus a summary), scoped to the caller's
organizations and filters; `zas.services.render` turns a Report into HTML, CSV, XLSX, PDF or JSON.

    report = reports.build("config-drift", {"platform": "cisco_ios"}, scope)
"""
from __future__ import annotations

from zas.errors import NotFound, ValidationError
from zas.services.authz import Scope
from zas.services.reports import drift, inventory, software, uptime, utilization
from zas.services.reports.base import Chart, Column, Filters, Report, resolve_period  # noqa: F401

REPORTS = {
    "inventory": inventory,
    "uptime": uptime,
    "config-drift": drift,
    "software-versions": software,
    "interface-utilization": utilization,
}
FORMATS = ("json", "csv", "xlsx", "pdf")
TIMED = {"uptime", "interface-utilization"}
MAX_TOP = 10_000


def titles() -> dict[str, str]:
    return {name: module.TITLE for name, module in REPORTS.items()}


def check_name(name: str) -> str:
    """Raise NotFound naming the reports there are."""
    if name not in REPORTS:
        raise NotFound(f"unknown report {name!r}; reports are: {', '.join(REPORTS)}")
    return name


def check_format(fmt: str | None) -> str:
    """Raise ValidationError naming the formats there are."""
    fmt = (fmt or "json").lower()
    if fmt not in FORMATS:
        raise ValidationError(f"format must be one of {', '.join(FORMATS)}", field="format")
    return fmt


def make_filters(params: dict, scope: Scope) -> Filters:
    """Validated filters within the caller's reach; an organization the caller cannot see is NotFound."""
    org_ids = scope.org_ids("viewer")
    org_id = _int(params.get("organization_id"), "organization_id")
    if org_id is not None:
        scope.require(org_id, "viewer", what="organization")
    since, until = resolve_period(params.get("since"), params.get("until"))
    top = _int(params.get("top"), "top")
    if top is not None and not 1 <= top <= MAX_TOP:
        raise ValidationError(f"top must be from 1 to {MAX_TOP}", field="top")
    return Filters(org_ids=org_ids, organization_id=org_id, site_id=_int(params.get("site_id"), "site_id"),
                   platform=(params.get("platform") or None), tag=(params.get("tag") or None), since=since,
                   until=until, top=top or 50)


def build(name: str, params: dict, scope: Scope) -> Report:
    """Build report `name` for `scope`; raises NotFound (unknown report, invisible org) or ValidationError."""
    module = REPORTS[check_name(name)]
    return module.build(make_filters(params, scope))


def _int(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{field} must be a whole number", field=field) from None
