"""Admin-set target software versions: per organization, the version a (platform, model) should
run. The software-versions report recommends it over the newest version already running.

    software_targets.create_target(scope, {"organization_id": 1, "platform": "cisco_ios",
                                           "model": "C9300", "version": "17.9.4"}, actor=user)
"""
from __future__ import annotations

from sqlalchemy import select

from zas.errors import Conflict, ValidationError
from zas.extensions import db
from zas.models import Device, Organization, SoftwareTarget
from zas.services import audit
from zas.services.authz import Scope, visible
from zas.services.inventory import Page, get_scoped, paginate, validate_platform

MAX_TEXT = 128
EDITABLE = ("platform", "model", "version")


def known_models(org_ids: set[int]) -> list[str]:
    """The models in the given organizations' inventory (suggestions for a new target)."""
    return [m for m in db.session.scalars(select(Device.model).where(
        Device.organization_id.in_(org_ids), Device.model.is_not(None)).distinct().order_by(Device.model)) if m]


def list_targets(scope: Scope, filters: dict, *, page: int = 1, page_size: int = 50) -> Page:
    """Targets of the caller's organizations (filters: organization_id, platform), by organization,
    platform and model. Read-only."""
    query = visible(select(SoftwareTarget), SoftwareTarget.organization_id, scope)
    for key in ("organization_id", "platform"):
        if filters.get(key) not in (None, ""):
            query = query.where(getattr(SoftwareTarget, key) == filters[key])
    return paginate(query.order_by(SoftwareTarget.organization_id, SoftwareTarget.platform, SoftwareTarget.model,
                                   SoftwareTarget.id), page, page_size)


def get_target(scope: Scope, target_id: int, min_role: str = "viewer") -> SoftwareTarget:
    """One target the caller may see; NotFound otherwise, PermissionDenied below `min_role`."""
    return get_scoped(SoftwareTarget, target_id, scope, "software target", min_role)


def create_target(scope: Scope, data: dict, *, actor=None, ip=None) -> SoftwareTarget:
    """Set the target version of a (platform, model) in an organization (its admins). Not idempotent:
    a second target for the same model is a Conflict. Raises ValidationError naming the field,
    NotFound/PermissionDenied, Conflict."""
    org_id = data.get("organization_id")
    org = db.session.get(Organization, org_id) if isinstance(org_id, int) and not isinstance(org_id, bool) else None
    if org is None or not scope.can(org.id, "viewer"):
        raise ValidationError("unknown organization", field="organization_id")
    scope.require(org.id, "admin", "organization")
    for required in EDITABLE:
        if data.get(required) in (None, ""):
            raise ValidationError(f"{required} is required", field=required)
    clean = _validate(data)
    _unique(org.id, clean["platform"], clean["model"])
    target = SoftwareTarget(organization_id=org.id, **clean)
    db.session.add(target)
    db.session.flush()
    audit.record("software_target.create", obj=target, actor=actor, ip=ip, after=_snapshot(target))
    return target


def update_target(scope: Scope, target: SoftwareTarget, data: dict, *, actor=None, ip=None) -> SoftwareTarget:
    """Change a target's platform, model or version (its organization's admins; the organization is
    fixed). Idempotent. Raises ValidationError naming the field, PermissionDenied, Conflict."""
    scope.require(target.organization_id, "admin", "software target")
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"these fields cannot be changed: {', '.join(sorted(unknown))}",
                              field=sorted(unknown)[0])
    clean = _validate(data)
    before = _snapshot(target)
    platform, model = clean.get("platform", target.platform), clean.get("model", target.model)
    if (platform, model) != (target.platform, target.model):
        _unique(target.organization_id, platform, model, exclude=target.id)
    for key, value in clean.items():
        setattr(target, key, value)
    db.session.flush()
    if before != _snapshot(target):
        audit.record("software_target.update", obj=target, actor=actor, ip=ip, before=before,
                     after=_snapshot(target))
    return target


def delete_target(scope: Scope, target: SoftwareTarget, *, actor=None, ip=None) -> None:
    """Remove a target: the report falls back to the newest running version (its organization's admins)."""
    scope.require(target.organization_id, "admin", "software target")
    audit.record("software_target.delete", obj=target, actor=actor, ip=ip, before=_snapshot(target))
    db.session.delete(target)
    db.session.flush()


def _validate(data: dict) -> dict:
    clean = {}
    if "platform" in data:
        platform = data["platform"]
        if not isinstance(platform, str) or not platform.strip():
            raise ValidationError("platform is required", field="platform")
        clean["platform"] = validate_platform(platform.strip())
    for key in ("model", "version"):
        if key in data:
            value = data[key]
            if not isinstance(value, str) or not value.strip():
                raise ValidationError(f"{key} must not be empty", field=key)
            value = value.strip()
            if len(value) > MAX_TEXT:
                raise ValidationError(f"{key} must be at most {MAX_TEXT} characters", field=key)
            clean[key] = value
    return clean


def _unique(org_id: int, platform: str, model: str, exclude: int | None = None) -> None:
    query = select(SoftwareTarget.id).where(SoftwareTarget.organization_id == org_id,
                                            SoftwareTarget.platform == platform, SoftwareTarget.model == model)
    if exclude is not None:
        query = query.where(SoftwareTarget.id != exclude)
    if db.session.scalar(query) is not None:
        raise Conflict(f"this organization already has a target for {platform} {model}")


def _snapshot(target: SoftwareTarget) -> dict:
    return {"platform": target.platform, "model": target.model, "version": target.version}
