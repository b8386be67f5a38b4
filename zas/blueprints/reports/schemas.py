"""The one query-string schema the Reports page and the reports API share."""
from __future__ import annotations

import marshmallow as ma

from zas.errors import ValidationError
from zas.services.reports import FORMATS, MAX_TOP


class ReportQueryArgsSchema(ma.Schema):
    """Filters and output format of a report."""

    class Meta:
        unknown = ma.EXCLUDE

    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(FORMATS),
                              metadata={"description": "json, csv, xlsx or pdf"})
    organization_id = ma.fields.Integer(metadata={"description": "limit to one organization"})
    site_id = ma.fields.Integer()
    platform = ma.fields.String(metadata={"description": "a netmiko device_type, e.g. cisco_ios"})
    tag = ma.fields.String()
    since = ma.fields.String(metadata={"description": "period start, ISO date or date-time (UTC); default 7 days ago"})
    until = ma.fields.String(metadata={"description": "period end, ISO date or date-time (UTC); default now"})
    top = ma.fields.Integer(validate=ma.validate.Range(1, MAX_TOP),
                            metadata={"description": "interface-utilization: how many interfaces (default 50)"})


def load_args(args) -> dict:
    """Parse a query string with the schema; blank values are absent; errors name the field."""
    data = {k: v for k, v in args.items() if v not in ("", None)}
    try:
        return ReportQueryArgsSchema().load(data)
    except ma.ValidationError as exc:
        field, messages = next(iter(exc.messages.items()))
        raise ValidationError(f"{field}: {' '.join(messages)}", field=field, errors=exc.messages) from None
