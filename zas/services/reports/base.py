"""What every report shares: its shape (columns, streamed rows, summary, chart, notes), the
filters and period it takes, and the device query it is scoped by.

Rows are produced in keyset-paginated chunks: memory stays bounded whatever the inventory's
size, and each chunk may run its own side queries (a server-side cursor would hold the
connection and forbid them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterable, Iterator

from flask import current_app
from sqlalchemy import select, tuple_

from zas.errors import ValidationError
from zas.extensions import db
from zas.models import Device, Organization, Site
from zas.models.types import utcnow
from zas.services import inventory

CHUNK = 1000
DEFAULT_DAYS = 7
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Column:
    """One column: `kind` (text, int, float, percent, datetime) types the XLSX cell and aligns the page."""

    key: str
    label: str
    kind: str = "text"
    width: int = 14  # characters, for XLSX and the print layout


@dataclass
class Filters:
    """What a report is limited to, already validated; `org_ids` is the caller's reach (None: all)."""

    org_ids: set[int] | None
    organization_id: int | None = None
    site_id: int | None = None
    platform: str | None = None
    tag: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    top: int = 50

    def device_filters(self) -> dict:
        return {k: v for k, v in (("organization_id", self.organization_id), ("site_id", self.site_id),
                                  ("platform", self.platform), ("tag", self.tag)) if v not in (None, "")}

    def as_params(self) -> dict:
        """JSON-safe, for stored reports and schedules."""
        out = self.device_filters()
        if self.since:
            out["since"] = self.since.isoformat(timespec="seconds")
        if self.until:
            out["until"] = self.until.isoformat(timespec="seconds")
        return out


@dataclass
class Chart:
    """A bar chart: (label, value) pairs; `unit` is appended to the values shown."""

    title: str
    bars: list[tuple[str, float]]
    unit: str = ""
    max_value: float | None = None


@dataclass
class Report:
    """A report ready to render: everything but `rows` is small; rows are a one-shot stream of tuples."""

    name: str
    title: str
    columns: list[Column]
    rows: Iterable[tuple]
    summary: list[tuple[str, object]]
    filters: Filters
    scope_label: str
    generated_at: datetime = field(default_factory=utcnow)
    period: tuple[datetime, datetime] | None = None
    notes: list[str] = field(default_factory=list)
    chart: Chart | None = None
    empty_message: str = "No devices match these filters."

    @property
    def slug_date(self) -> str:
        return self.generated_at.strftime("%Y-%m-%d")


def parse_datetime(value, name: str) -> datetime | None:
    """An ISO date or date-time (UTC); raises ValidationError naming `name`."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else \
            (value - value.utcoffset()).replace(tzinfo=None)
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(f"{name} must be an ISO date or date-time, e.g. 2026-11-25 or 2026-11-25T08:00",
                              field=name) from None
    return parse_datetime(parsed, name)


def resolve_period(since, until, now: datetime | None = None) -> tuple[datetime, datetime]:
    """[since, until): the last DEFAULT_DAYS by default; raises ValidationError naming the bad bound."""
    now = now or utcnow()
    until = parse_datetime(until, "until") or now
    since = parse_datetime(since, "since") or until - timedelta(days=DEFAULT_DAYS)
    if since >= until:
        raise ValidationError("since must be before until", field="since")
    if until - since > timedelta(days=MAX_DAYS):
        raise ValidationError(f"the period may be at most {MAX_DAYS} days", field="since")
    return since, until


def resolution_for(since: datetime, now: datetime | None = None) -> str:
    """The finest telemetry resolution still retained back to `since` (raw, then hourly, then daily)."""
    # an hour's grace: the default period (exactly the raw retention) must not tip into roll-ups
    now = (now or utcnow()) - timedelta(hours=1)
    cfg = current_app.config
    if since >= now - timedelta(days=float(cfg["RETENTION_RAW_DAYS"])):
        return "raw"
    if since >= now - timedelta(days=float(cfg["RETENTION_HOURLY_DAYS"])):
        return "hour"
    return "day"


def coverage_note(kind: str, since: datetime, until: datetime, first: datetime | None, resolution: str) -> str | None:
    """Say what the data covers when it starts after the period does (and why, if retention cut it)."""
    label = {"raw": "per-poll samples", "hour": "hourly roll-ups", "day": "daily roll-ups"}[resolution]
    if first is None:
        return f"No {kind} history in this period; it is computed from {label}."
    slack = {"raw": timedelta(hours=1), "hour": timedelta(hours=2), "day": timedelta(days=2)}[resolution]
    if first - since <= slack:
        return None
    days = float(current_app.config[{"raw": "RETENTION_RAW_DAYS", "hour": "RETENTION_HOURLY_DAYS",
                                     "day": "RETENTION_DAILY_DAYS"}[resolution]])
    kept = f" ({label} are kept {days:g} days)" if since < utcnow() - timedelta(days=days) else ""
    return (f"The period starts {since:%Y-%m-%d %H:%M} but the {kind} data{kept} only covers "
            f"{first:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} UTC.")


def device_ids_query(filters: Filters):
    """The ids of the devices in the report's scope: the inventory's own filter path."""
    return inventory.device_query(filters.device_filters(), filters.org_ids).order_by(None) \
        .with_only_columns(Device.id)


def scoped(query, filters: Filters):
    """`query` (selecting from devices) limited to the report's devices."""
    return query.where(Device.id.in_(device_ids_query(filters)))


def device_columns():
    """Device columns most reports start with, and the joins they need."""
    return [Device.id, Device.name, Organization.name.label("org_name"), Site.name.label("site_name"),
            Device.platform]


def with_device_joins(query):
    return query.join(Organization, Organization.id == Device.organization_id) \
        .outerjoin(Site, Site.id == Device.site_id)


def chunked(query, chunk: int = CHUNK) -> Iterator[list]:
    """Run `query` (which must select Device.name and Device.id) in chunks ordered by (name, id)."""
    last = None
    while True:
        q = query.order_by(Device.name, Device.id).limit(chunk)
        if last is not None:
            q = q.where(tuple_(Device.name, Device.id) > tuple_(*last))
        rows = db.session.execute(q).all()
        if not rows:
            return
        yield rows
        last = (rows[-1].name, rows[-1].id)
        if len(rows) < chunk:
            return


def scope_label(filters: Filters) -> str:
    """The organizations a report covers, for its title block."""
    if filters.organization_id:
        return db.session.get(Organization, filters.organization_id).name
    query = select(Organization.name).order_by(Organization.name)
    if filters.org_ids is not None:
        query = query.where(Organization.id.in_(filters.org_ids or {-1}))
    names = list(db.session.scalars(query.limit(6)))
    if filters.org_ids is None and len(names) > 5:
        return "All organizations"
    return ", ".join(names[:5]) + (" and more" if len(names) > 5 else "") or "No organization"


_VERSION_PART = re.compile(r"\d+|[^\d]+")


def version_key(version: str | None):
    """Sort key that orders 15.2(10) after 15.2(4) and 4.30.1F after 4.9.0F."""
    if not version:
        return ()
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in _VERSION_PART.findall(version))


def pct(part, whole) -> float | None:
    return round(100.0 * float(part) / float(whole), 2) if whole else None


RowsFactory = Callable[[], Iterator[tuple]]
