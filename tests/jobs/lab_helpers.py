"""Put lab devices into the test database (the way `zas lab up --register` does, but per test)."""
from __future__ import annotations

from zas.extensions import db
from zas.models import CredentialProfile, Device, Organization


def register(lab, names: list[str], org_name: str = "Lab") -> dict[str, int]:
    """Create an organization, a credential profile and the named lab devices; returns {name: id}."""
    first = lab.device(names[0])
    org = Organization(name=org_name)
    cred = CredentialProfile(organization=org, name="lab", username=first["username"], password=first["password"],
                             enable_secret=first["secret"])
    devices = []
    for name in names:
        d = lab.device(name)
        devices.append(Device(organization=org, name=name, host=d["host"], port=d["port"], platform=d["platform"],
                              credential=cred, snmp_port=d["snmp_port"]))
    db.session.add_all([org, cred, *devices])
    db.session.commit()
    return {d.name: d.id for d in devices}
