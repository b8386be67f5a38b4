"""`zas lab up --register`: the "Demo" organization, its credential and SNMP profiles and the lab's devices."""
from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def _app_context():
    """The current app context, else one for the app `zas` would build (needs ZAS settings, not the lab)."""
    from flask import current_app

    try:
        current_app._get_current_object()
        yield
        return
    except RuntimeError:
        pass
    import click
    from flask.cli import ScriptInfo

    ctx = click.get_current_context(silent=True)
    info = ctx.find_object(ScriptInfo) if ctx is not None else None
    if info is not None and info.create_app is not None:
        app = info.load_app()
    else:
        from zas import create_app

        app = create_app()
    with app.app_context():
        yield


def register_demo(devices: list[dict], org_name: str = "Demo") -> tuple[str, int]:
    """Create or update (by name) the organization, profiles and devices; one commit. Idempotent."""
    with _app_context():
        from sqlalchemy import select

        from zas.extensions import db
        from zas.models import CredentialProfile, Device, Organization, SnmpProfile

        s = db.session
        try:
            org = s.scalar(select(Organization).where(Organization.name == org_name))
            if org is None:
                org = Organization(name=org_name)
                s.add(org)
                s.flush()
            first = devices[0]
            v3 = first["snmp_v3"]

            def one(model, name, **fields):
                row = s.scalar(select(model).where(model.organization_id == org.id, model.name == name))
                if row is None:
                    row = model(organization=org, name=name)
                    s.add(row)
                for k, v in fields.items():
                    setattr(row, k, v)
                return row

            cred = one(CredentialProfile, "Lab login", username=first["username"], password=first["password"],
                       enable_secret=first["secret"])
            v2 = one(SnmpProfile, "Lab SNMPv2c", version="2c", community=first["community"], priority=20)
            one(SnmpProfile, "Lab SNMPv3", version="3", username=v3["username"],
                auth_protocol=v3["auth_protocol"], auth_key=v3["auth_key"], priv_protocol=v3["priv_protocol"],
                priv_key=v3["priv_key"], priority=10)
            for d in devices:
                one(Device, d["name"], host=d["host"], port=d["port"], platform=d["platform"], credential=cred,
                    snmp_profile=v2, snmp_port=d["snmp_port"], tags=["lab", d["platform"]])
            s.commit()
        except Exception:
            s.rollback()
            raise
        return org_name, len(devices)
