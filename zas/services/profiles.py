"""Credential and SNMP profiles: create, edit, delete and list, for organization admins.

Secrets are write-only: callers pass clear text, the models encrypt it, and nothing here
returns or logs it (audit records only whether a secret is set). Reading profiles is open
to every member (names and usernames only); writing needs the admin role. Functions flush;
the boundary commits. They raise NotFound, PermissionDenied, ValidationError (naming the field).
"""
from __future__ import annotations

from sqlalchemy import select

from zas.errors import ValidationError
from zas.extensions import db
from zas.models import CredentialProfile, SnmpProfile
from zas.models.credentials import SNMP_AUTH_PROTOCOLS, SNMP_PRIV_PROTOCOLS, SNMP_VERSIONS
from zas.services import audit, inventory
from zas.services.authz import Scope, visible
from zas.services.inventory import Page, paginate, validate_name
from zas.services.textsearch import contains

CREDENTIAL_FIELDS = ("name", "organization_id", "username", "password", "enable_secret", "private_key")
CREDENTIAL_SECRETS = ("password", "enable_secret", "private_key")
SNMP_FIELDS = ("name", "organization_id", "priority", "version", "community", "username", "auth_protocol",
               "auth_key", "priv_protocol", "priv_key")
SNMP_SECRETS = ("community", "auth_key", "priv_key")
MAX_SECRET = 16384


def _audit_view(obj, fields, secrets) -> dict:
    """Plain fields, and for each secret only whether one is set."""
    out = {}
    for f in fields:
        value = getattr(obj, f)
        out[f] = ("********" if value else None) if f in secrets else value
    return out


def _unique(model, org_id: int, name: str, exclude_id: int | None) -> None:
    query = select(model.id).where(model.organization_id == org_id, model.name == name)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise ValidationError(f"a profile named {name!r} already exists in this organization", field="name")


def _secret(data: dict, key: str):
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{key} must be a string", field=key)
    if len(value) > MAX_SECRET:
        raise ValidationError(f"{key} is too long", field=key)
    return value


def list_profiles(model, scope: Scope, filters: dict, *, page: int = 1, page_size: int = 50) -> Page:
    """Credential or SNMP profiles (by `model`) the caller can see, filtered by organization_id and q."""
    query = visible(select(model), model.organization_id, scope)
    if filters.get("organization_id") is not None:
        query = query.where(model.organization_id == filters["organization_id"])
    if filters.get("q"):
        query = query.where(contains(model.name, filters["q"].strip()))
    return paginate(query.order_by(model.name, model.id), page, page_size)


def get_credential(profile_id: int, scope: Scope, min_role: str = "viewer") -> CredentialProfile:
    return inventory.get_scoped(CredentialProfile, profile_id, scope, "credential profile", min_role)


def get_snmp_profile(profile_id: int, scope: Scope, min_role: str = "viewer") -> SnmpProfile:
    return inventory.get_scoped(SnmpProfile, profile_id, scope, "SNMP profile", min_role)


def _apply_credential(cred: CredentialProfile, data: dict, creating: bool) -> None:
    inventory._check_unknown(data, CREDENTIAL_FIELDS)
    if creating or "name" in data:
        name = validate_name(data.get("name"))
        _unique(CredentialProfile, cred.organization_id, name, cred.id)
        cred.name = name
    if creating or "username" in data:
        cred.username = validate_name(data.get("username"), "username")
    for key in CREDENTIAL_SECRETS:
        if key in data:
            # an empty string clears the secret; an absent key keeps it
            setattr(cred, key, _secret(data, key) or None)
    if creating and not (cred.password or cred.private_key):
        raise ValidationError("give a password or a private_key", field="password")


def _apply_snmp(prof: SnmpProfile, data: dict, creating: bool) -> None:
    inventory._check_unknown(data, SNMP_FIELDS)
    if creating or "name" in data:
        name = validate_name(data.get("name"))
        _unique(SnmpProfile, prof.organization_id, name, prof.id)
        prof.name = name
    if creating or "version" in data:
        version = data.get("version") or "2c"
        if version not in SNMP_VERSIONS:
            raise ValidationError(f"version must be one of {', '.join(SNMP_VERSIONS)}", field="version")
        prof.version = version
    if "priority" in data:
        prio = data["priority"]
        if not isinstance(prio, int) or isinstance(prio, bool) or not 0 <= prio <= 10000:
            raise ValidationError("priority must be an integer from 0 to 10000", field="priority")
        prof.priority = prio
    elif creating:
        prof.priority = 100
    if "username" in data:
        prof.username = validate_name(data["username"], "username") if data["username"] else None
    for key, allowed in (("auth_protocol", SNMP_AUTH_PROTOCOLS), ("priv_protocol", SNMP_PRIV_PROTOCOLS)):
        if key in data:
            if data[key] is not None and data[key] not in allowed:
                raise ValidationError(f"{key} must be one of {', '.join(allowed)}", field=key)
            setattr(prof, key, data[key])
    for key in SNMP_SECRETS:
        if key in data:
            setattr(prof, key, _secret(data, key) or None)
    if prof.version == "2c" and not prof.community:
        raise ValidationError("a v2c profile needs a community", field="community")
    if prof.version == "3":
        if not prof.username:
            raise ValidationError("a v3 profile needs a username", field="username")
        if prof.priv_key and not prof.auth_key:
            raise ValidationError("privacy needs authentication: set auth_key too", field="auth_key")
        if prof.auth_key and not prof.auth_protocol:
            prof.auth_protocol = "SHA"
        if prof.priv_key and not prof.priv_protocol:
            prof.priv_protocol = "AES"


# One create/update/delete path for both profile kinds: (model, apply, fields, secrets, audit name, label)
_KINDS = {
    CredentialProfile: (_apply_credential, CREDENTIAL_FIELDS, CREDENTIAL_SECRETS, "credential", "credential profile"),
    SnmpProfile: (_apply_snmp, SNMP_FIELDS, SNMP_SECRETS, "snmp_profile", "SNMP profile"),
}


def _create(model, scope: Scope, data: dict, actor, ip):
    apply, fields, secrets, action, _ = _KINDS[model]
    org = inventory._org_for_write(scope, data.get("organization_id"), "admin")
    profile = model(organization_id=org.id)
    apply(profile, data, creating=True)
    db.session.add(profile)
    db.session.flush()
    audit.record(f"{action}.create", obj=profile, actor=actor, ip=ip, after=_audit_view(profile, fields, secrets))
    return profile


def _update(profile, scope: Scope, data: dict, actor, ip):
    apply, fields, secrets, action, label = _KINDS[type(profile)]
    scope.require(profile.organization_id, "admin", label)
    if "organization_id" in data and data["organization_id"] != profile.organization_id:
        raise ValidationError("a profile cannot move to another organization", field="organization_id")
    before = _audit_view(profile, fields, secrets)
    with db.session.no_autoflush:
        apply(profile, data, creating=False)
    db.session.flush()
    audit.record(f"{action}.update", obj=profile, actor=actor, ip=ip, before=before,
                 after=_audit_view(profile, fields, secrets))
    return profile


def _delete(profile, scope: Scope, actor, ip) -> None:
    _, fields, secrets, action, label = _KINDS[type(profile)]
    scope.require(profile.organization_id, "admin", label)
    audit.record(f"{action}.delete", obj=profile, actor=actor, ip=ip, before=_audit_view(profile, fields, secrets))
    db.session.delete(profile)
    db.session.flush()


def create_credential(scope: Scope, data: dict, *, actor=None, ip: str | None = None) -> CredentialProfile:
    """A new SSH credential profile in `data['organization_id']` (admins). Audited without secrets."""
    return _create(CredentialProfile, scope, data, actor, ip)


def update_credential(scope: Scope, cred: CredentialProfile, data: dict, *, actor=None, ip: str | None = None):
    """Edit a credential profile (admins); secrets left out are kept. Audited without secrets."""
    return _update(cred, scope, data, actor, ip)


def delete_credential(scope: Scope, cred: CredentialProfile, *, actor=None, ip: str | None = None) -> None:
    """Delete a credential profile (admins); its devices keep existing without one."""
    _delete(cred, scope, actor, ip)


def create_snmp_profile(scope: Scope, data: dict, *, actor=None, ip: str | None = None) -> SnmpProfile:
    """A new SNMP profile in `data['organization_id']` (admins). Audited without secrets."""
    return _create(SnmpProfile, scope, data, actor, ip)


def update_snmp_profile(scope: Scope, prof: SnmpProfile, data: dict, *, actor=None, ip: str | None = None):
    """Edit an SNMP profile (admins); secrets left out are kept. Audited without secrets."""
    return _update(prof, scope, data, actor, ip)


def delete_snmp_profile(scope: Scope, prof: SnmpProfile, *, actor=None, ip: str | None = None) -> None:
    """Delete an SNMP profile (admins)."""
    _delete(prof, scope, actor, ip)
