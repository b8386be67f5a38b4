"""Device pages: the inventory list, the device page and its tabs (each a page and an htmx fragment)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from zas.blueprints.access import client_ip, current_scope, require_any
from zas.blueprints.ui import (PAGE_SIZES, DeviceListArgs, diff_line_class, int_arg, render_page_or_fragment,
                               org_choices, save_form, side_by_side, wants_fragment)
from zas.errors import ValidationError
from zas.extensions import db
from zas.models import ConfigVersion
from zas.services import audit, configtext, dbmanager, inventory, ui_support

bp = Blueprint("devices", __name__, url_prefix="/devices")

TABS = (("info", "Basic info", "devices.detail"), ("config", "Configuration", "devices.config_tab"),
        ("interfaces", "Interfaces", "devices.interfaces_tab"), ("tasks", "Tasks / logs", "devices.tasks_tab"),
        ("telemetry", "Telemetry", "devices.telemetry_tab"))


@bp.get("")
@login_required
def index():
    """Device list: filters, sorting, pagination and live search, all in the URL."""
    scope = current_scope()
    org_ids = scope.org_ids()
    error = None
    try:
        args = DeviceListArgs.from_request()
        page = _list(args, org_ids)
    except ValidationError as exc:
        error, args = exc, DeviceListArgs()
        page = _list(args, org_ids)
    options = None if wants_fragment() else ui_support.device_filter_options(org_ids)
    return render_page_or_fragment("devices/index.html", "devices/_table.html", status=422 if error else 200,
                                   page=page, args=args, options=options, error=error, page_sizes=PAGE_SIZES,
                                   can_run=scope.has_any("operator"))


def _list(args: DeviceListArgs, org_ids):
    return inventory.list_devices(args.filters, org_ids, sort=args.sort, page=args.page, page_size=args.page_size)


def _tab(device, tab: str, fragment: str, **context):
    scope = current_scope()
    return render_page_or_fragment(
        "devices/detail.html", fragment, device=device, tab=tab, tabs=TABS, tab_template=fragment,
        can_operate=scope.can(device.organization_id, "operator"),
        can_admin=scope.can(device.organization_id, "admin"), **context)


@bp.get("/<int:device_id>")
@login_required
def detail(device_id: int):
    """Basic info tab: facts, profiles, last backup and poll, drift."""
    device = ui_support.get_device(device_id, current_scope())
    golden = db.session.get(ConfigVersion, device.golden_config_id) if device.golden_config_id else None
    return _tab(device, "info", "devices/_info.html", golden=golden)


def _masked(device) -> bool:
    # secrets in configurations are for the organization's admins only
    return not current_scope().can(device.organization_id, "admin")


@bp.get("/<int:device_id>/config")
@login_required
def config_tab(device_id: int):
    """Configuration tab: versions, one version with line numbers, or a diff of two."""
    device = ui_support.get_device(device_id, current_scope())
    masked = _masked(device)
    versions = ui_support.config_versions(device.id)
    shown = diff = rows = old = new = None
    mode = request.args.get("mode", "unified")
    error = None
    try:
        version_id = int_arg(request.args, "version")
        a, b = int_arg(request.args, "a"), int_arg(request.args, "b")
        if a is not None and b is not None:
            old, new = ui_support.device_version(device, a, "a"), ui_support.device_version(device, b, "b")
            if old.id > new.id:
                old, new = new, old  # a diff reads oldest to newest
            if mode == "side":
                left, right = old.text, new.text
                if masked:
                    left, right = configtext.mask_secrets(left), configtext.mask_secrets(right)
                rows = side_by_side(configtext.normalize(left, device.platform),
                                    configtext.normalize(right, device.platform))
            else:
                mode = "unified"
                diff = dbmanager.diff_versions(old, new, device.platform, masked=masked)
        elif version_id is not None:
            shown = ui_support.device_version(device, version_id)
        elif a is not None or b is not None:
            raise ValidationError("choose two versions to compare", field="b" if a is not None else "a")
    except ValidationError as exc:
        error = exc
    text = None
    if shown is not None:
        text = configtext.mask_secrets(shown.text) if masked else shown.text
    drift = dbmanager.drift_diff(device, masked=masked) if device.drift_status == "drifted" else None
    return _tab(device, "config", "devices/_config.html", versions=versions, shown=shown, text=text, diff=diff,
                rows=rows, old=old, new=new, mode=mode, masked=masked, error=error, drift=drift,
                diff_line_class=diff_line_class)


@bp.get("/<int:device_id>/config/<int:version_id>/download")
@login_required
def download_config(device_id: int, version_id: int):
    """One configuration version as a text file."""
    device = ui_support.get_device(device_id, current_scope())
    try:
        version = ui_support.device_version(device, version_id)
    except ValidationError:
        abort(404)
    text = configtext.mask_secrets(version.text) if _masked(device) else version.text
    name = f"{device.name}-v{version.id}.cfg".replace("/", "_").replace('"', "")
    return Response(text, mimetype="text/plain",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/<int:device_id>/config/golden")
@login_required
def set_golden(device_id: int):
    """Mark a version as the golden configuration (or clear it); drift is recomputed."""
    scope = current_scope()
    device = ui_support.get_device(device_id, scope)
    scope.require(device.organization_id, "operator", "device")
    version_id = int_arg(request.form, "version_id")
    version = ui_support.device_version(device, version_id, "version_id") if version_id else None
    before = device.golden_config_id
    dbmanager.set_golden(device, version)
    audit.record("device.golden", obj=device, actor=current_user, before={"golden_config_id": before},
                 after={"golden_config_id": device.golden_config_id}, ip=client_ip())
    db.session.commit()
    flash(f"Version {version.id} is now the golden configuration." if version else "Golden configuration cleared.",
          "success")
    return redirect(url_for("devices.config_tab", device_id=device.id))


@bp.get("/<int:device_id>/interfaces")
@login_required
def interfaces_tab(device_id: int):
    """Interfaces tab: paginated, filtered by name, status and VLAN, with rates when telemetry has them."""
    device = ui_support.get_device(device_id, current_scope())
    error = None
    filters = {"name": (request.args.get("name") or "").strip()[:128],
               "status": (request.args.get("status") or "").strip()[:16]}
    try:
        filters["vlan"] = int_arg(request.args, "vlan", minimum=0)
        page_no = int_arg(request.args, "page", 1, minimum=1)
    except ValidationError as exc:
        error, page_no = exc, 1
        filters["vlan"] = None
    page = ui_support.list_interfaces(device.id, filters, page_no, 50)
    filter_params = {"device_id": device.id, **{k: v for k, v in filters.items() if v not in (None, "")}}
    return _tab(device, "interfaces", "devices/_interfaces.html", page=page, filters=filters, error=error,
                filter_params=filter_params,
                rates=_interface_rates([i.id for i in page.items]),
                statuses=ui_support.interface_statuses(device.id))


def _interface_rates(interface_ids: list[int]) -> dict | None:
    """{interface id: rates} from the telemetry service when it offers them, else None (no column)."""
    try:
        from zas.services import telemetry
    except ImportError:
        return None
    latest = getattr(telemetry, "latest_interface_rates", None)
    if latest is None:
        return None
    if not interface_ids:
        return {}
    rates = {}
    for interface_id, value in (latest(interface_ids) or {}).items():
        get = value.get if isinstance(value, dict) else (lambda k, v=value: getattr(v, k, None))
        rates[interface_id] = (get("in_bps"), get("out_bps"))
    return rates


@bp.get("/<int:device_id>/tasks")
@login_required
def tasks_tab(device_id: int):
    """Tasks / logs tab: the jobs that touched this device, with this device's output and log."""
    device = ui_support.get_device(device_id, current_scope())
    try:
        page_no = int_arg(request.args, "page", 1, minimum=1)
    except ValidationError:
        page_no = 1
    page = ui_support.device_results(device.id, page_no)
    logs = ui_support.device_log(device.id, [r.job_id for r in page.items])
    return _tab(device, "tasks", "devices/_tasks.html", page=page, logs=logs)


@bp.get("/<int:device_id>/telemetry")
@login_required
def telemetry_tab(device_id: int):
    """Telemetry tab (its content belongs to the telemetry feature)."""
    device = ui_support.get_device(device_id, current_scope())
    return _tab(device, "telemetry", "devices/_telemetry.html")



def _profile_choices(model, org_ids):
    from sqlalchemy import select

    query = select(model).order_by(model.name)
    if org_ids is not None:
        query = query.where(model.organization_id.in_(org_ids or {-1}))
    return [("", "—")] + [(p.id, f"{p.name} ({p.organization.name})") for p in db.session.scalars(query)]


def _device_form(obj=None):
    from zas.blueprints.devices.forms import DeviceForm
    from zas.models import CredentialProfile, Site, SnmpProfile

    form = DeviceForm(obj=obj)
    org_ids = current_scope().org_ids("operator")
    form.organization_id.choices = org_choices("operator")
    form.site_id.choices = _profile_choices(Site, org_ids)
    form.credential_id.choices = _profile_choices(CredentialProfile, org_ids)
    form.snmp_profile_id.choices = _profile_choices(SnmpProfile, org_ids)
    if obj is not None and not form.is_submitted():
        form.tags.data = ", ".join(obj.tags)
    return form


def _device_data(data: dict) -> dict:
    data["tags"] = [t.strip() for t in (data.get("tags") or "").split(",") if t.strip()]
    data["description"] = data.get("description") or None
    return data


@bp.route("/new", methods=["GET", "POST"])
@login_required
@require_any("operator")
def new():
    """Add a device."""
    scope = current_scope()
    form = _device_form()
    return save_form(form, lambda data: inventory.add_device(scope, _device_data(data), actor=current_user,
                                                             ip=client_ip()),
                     title="New device", crumbs=[("Devices", url_for(".index"))], cancel_url=url_for(".index"),
                     success="Device added.", redirect_to=lambda d: url_for(".detail", device_id=d.id))


@bp.route("/<int:device_id>/edit", methods=["GET", "POST"])
@login_required
def edit(device_id: int):
    """Edit a device's inventory fields (its organization is fixed)."""
    scope = current_scope()
    device = ui_support.get_device(device_id, scope)
    scope.require(device.organization_id, "operator", "device")
    form = _device_form(device)
    form.organization_id.choices = [(device.organization_id, device.organization.name)]

    def save(data):
        data = _device_data(data)
        data.pop("organization_id", None)
        return inventory.update_device(scope, device, data, actor=current_user, ip=client_ip())

    return save_form(form, save, title=f"Edit {device.name}",
                     crumbs=[("Devices", url_for(".index")), (device.name, url_for(".detail", device_id=device.id))],
                     cancel_url=url_for(".detail", device_id=device.id), success="Device saved.",
                     redirect_to=lambda d: url_for(".detail", device_id=d.id))
