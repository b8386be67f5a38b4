"""What every REST blueprint under /api/v1 shares: the authentication guard, CSRF for cookie
callers, the error schema in the docs, query-string schemas that reject unknown fields, and
page helpers. Each domain's `api.py` builds its blueprint with `api_blueprint()`.
"""
from __future__ import annotations

import json

import marshmallow as ma
from flask import abort, g, request
from flask_login import current_user
from flask_smorest import Blueprint

from zas.blueprints.access import authenticate_api_request
from zas.extensions import csrf

ERROR_CODES = {
    400: "Malformed request (for example invalid JSON)",
    401: "Authentication required",
    403: "The caller sees the object but lacks the role",
    404: "Not found, or not visible to the caller",
    409: "Conflict with existing data",
    413: "Request body too large",
    422: "Invalid input; `errors` names each field",
    503: "A backing service is unavailable; nothing was written",
}


class ZasErrorSchema(ma.Schema):
    """Every API error: `{code, status, message, errors?}`."""

    code = ma.fields.String(required=True, metadata={"description": "machine-readable error code"})
    status = ma.fields.Integer(required=True, metadata={"description": "HTTP status"})
    message = ma.fields.String(required=True)
    errors = ma.fields.Dict(metadata={"description": "field name → list of messages"})


class StrictSchema(ma.Schema):
    """A request body: unknown fields are an error, not silently dropped."""

    class Meta:
        unknown = ma.RAISE


class QueryArgsSchema(StrictSchema):
    """A query string: unknown parameters are an error; `page`/`page_size` belong to pagination."""

    @ma.pre_load
    def _drop_pagination(self, data, **kwargs):
        return {k: v for k, v in data.items() if k not in ("page", "page_size")}

    def load(self, data, *, many=None, partial=None, unknown=None):
        # webargs asks query schemas to EXCLUDE unknown keys; a typo'd filter must not silently match all
        return super().load(data, many=many, partial=partial, unknown=ma.RAISE)


def api_blueprint(name: str, import_name: str, path: str, description: str, *, public: bool = False) -> Blueprint:
    """A flask-smorest blueprint at /api/v1/<path>, guarded (unless `public`) and CSRF-exempt for bearer callers."""
    blp = Blueprint(f"{name}_api", import_name, url_prefix=f"/api/v1/{path}", description=description)
    csrf.exempt(blp)
    if not public:
        blp.before_request(_guard)
    blp.before_request(_check_json_body)
    return blp


def _guard():
    denied = authenticate_api_request()
    if denied is not None:
        return denied
    # a browser session carries its cookie to our API too: hold it to the same CSRF rule as forms
    if request.method not in ("GET", "HEAD", "OPTIONS") and g.get("api_token") is None:
        csrf.protect()
    return None


def _check_json_body() -> None:
    """A JSON body that does not parse is a 400 saying so (webargs' own message is generic)."""
    if request.method in ("GET", "HEAD", "OPTIONS", "DELETE") or not request.is_json:
        return
    if not request.get_data(cache=True):
        return
    try:
        json.loads(request.get_data(cache=True))
    except ValueError as exc:
        abort(400, description=f"the request body is not valid JSON: {exc}")


def errors(blp: Blueprint, *codes: int):
    """Document the error answers a resource can give (the handlers exist app-wide)."""

    def decorator(func):
        for code in sorted(set((401,) + codes)):
            func = blp.alt_response(code, schema=ZasErrorSchema, description=ERROR_CODES[code])(func)
        return func

    return decorator


def set_total(pagination_parameters, page) -> list:
    """Give flask-smorest the total for X-Pagination; return the page's items."""
    pagination_parameters.item_count = page.total
    return page.items


def actor():
    """The user behind the request (for audit records)."""
    return current_user._get_current_object() if current_user.is_authenticated else None


MAX_ID = 2**31 - 1


class Str(ma.fields.String):
    """A string that the database can store: valid Unicode (no lone surrogates) of bounded length."""

    def __init__(self, *args, max_length: int = 255, **kwargs):
        given = kwargs.pop("validate", None)
        validators = [] if given is None else (list(given) if isinstance(given, (list, tuple)) else [given])
        validators.append(ma.validate.Length(max=max_length))
        super().__init__(*args, validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ma.ValidationError("not valid Unicode text") from None
        return value


def Id(**kwargs) -> ma.fields.Integer:  # noqa: N802 (a field factory, used like a class)
    """An object id: a positive integer that fits the database column."""
    return ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_ID), **kwargs)


def Port(default: int, **kwargs) -> ma.fields.Integer:  # noqa: N802
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=65535), **kwargs)


def path_id(value: int) -> int:
    """A path id beyond any column's range can only be not found (and must not reach the driver)."""
    from zas.errors import NotFound

    if value > MAX_ID:
        raise NotFound("not found")
    return value


def fast_dump(schema: ma.Schema, items) -> list[dict]:
    """`schema.dump(items, many=True)` for flat output schemas, without marshmallow's per-field
    machinery (a third of a 100-device page's time). Same keys and values; a test compares them."""
    plan = []
    for name, fld in schema.dump_fields.items():
        attr = fld.attribute or name
        if isinstance(fld, ma.fields.Function):
            plan.append((name, None, fld.serialize_func))
        elif isinstance(fld, ma.fields.DateTime):
            plan.append((name, attr, "datetime"))
        elif isinstance(fld, ma.fields.List):
            plan.append((name, attr, "list"))
        elif isinstance(fld, (ma.fields.String, ma.fields.Integer, ma.fields.Boolean)):
            plan.append((name, attr, "raw"))
        else:
            return schema.dump(items, many=True)  # not flat: the slow, general way
    out = []
    for obj in items:
        row = {}
        for name, attr, how in plan:
            if attr is None:
                row[name] = how(obj)
                continue
            value = getattr(obj, attr)
            if value is None:
                row[name] = None
            elif how == "datetime":
                row[name] = value.isoformat()
            elif how == "list":
                row[name] = list(value)
            else:
                row[name] = value
        out.append(row)
    return out


def page_response(schema: ma.Schema, page):
    """A JSON array of the page's items with the X-Pagination header (from `Page.header()`)."""
    import json as _json

    from flask import Response

    body = _json.dumps(fast_dump(schema, page.items), separators=(",", ":"))
    resp = Response(body, mimetype="application/json")
    resp.headers["X-Pagination"] = _json.dumps(page.header())
    return resp
