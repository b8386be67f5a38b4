"""Import schemas: the upload, the dry-run flag, the report."""
import marshmallow as ma

from zas.blueprints.apikit import QueryArgsSchema


class ImportArgsSchema(QueryArgsSchema):
    """Import options."""

    dry_run = ma.fields.Boolean(load_default=False, metadata={"description": "1: report, write nothing"})


class UploadSchema(ma.Schema):
    """A CSV or XLSX file as multipart `file` (a raw text/csv or XLSX body works too)."""

    class Meta:
        unknown = ma.EXCLUDE

    file = ma.fields.Raw(metadata={"type": "string", "format": "binary"})


class RowOutcomeSchema(ma.Schema):
    """One row's fate."""

    row = ma.fields.Integer()
    action = ma.fields.String(metadata={"description": "create, update, unchanged or reject"})
    name = ma.fields.String(allow_none=True)
    errors = ma.fields.Dict(metadata={"description": "column → messages"})


class ImportReportSchema(ma.Schema):
    """What was (or would be) created, updated and rejected."""

    kind = ma.fields.String()
    dry_run = ma.fields.Boolean()
    total = ma.fields.Integer()
    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    unchanged = ma.fields.Integer(metadata={"description": "rows that match the stored device exactly"})
    rejected = ma.fields.Integer()
    rows = ma.fields.List(ma.fields.Nested(RowOutcomeSchema),
                          metadata={"description": "the rejected rows, or every row when none is rejected"})
