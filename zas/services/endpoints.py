"""End hosts: learned from switches' forwarding tables (BRIDGE/Q-BRIDGE) and routers' ARP tables,
with their moves between ports, duplicates, and a "where is this MAC/IP?" search.

Access-port rule (where endpoints are learned): a port counts as an access port when, in this
poll, it carries at most `MAX_MACS_PER_ACCESS_PORT` learned MACs and none of them belongs to
an interface of a device ZAS manages. Uplinks and trunks see hundreds of MACs, or the MAC of
the neighbouring switch/router, so they never move an endpoint away from its real edge port.
"""
from __future__ import annotations

import ipaddress
from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, or_, select, update

from zas.errors import ValidationError
from zas.extensions import db
from zas.models import Device, Endpoint, EndpointMove, Interface
from zas.models.types import utcnow
from zas.services import oui

MAX_MACS_PER_ACCESS_PORT = 8  # a PC, a phone, a few VMs or a small unmanaged switch


def access_ports(device: Device, fdb) -> set[int]:
    """The ifIndexes of `fdb` that pass the access-port rule."""
    by_port: dict[int, set[str]] = defaultdict(set)
    for entry in fdb:
        if entry.if_index:
            by_port[entry.if_index].add(entry.mac)
    managed = _managed_macs(device.organization_id, {m for macs in by_port.values() for m in macs})
    return {port for port, macs in by_port.items()
            if len(macs) <= MAX_MACS_PER_ACCESS_PORT and not (macs & managed)}


def _managed_macs(org_id: int, macs: set[str]) -> set[str]:
    if not macs:
        return set()
    return set(db.session.scalars(
        select(Interface.mac).join(Device, Device.id == Interface.device_id)
        .where(Device.organization_id == org_id, Interface.mac.in_(sorted(macs)))))


def learn(device: Device, fdb, arp: dict[str, str], now: datetime | None = None) -> dict:
    """Upsert the endpoints seen on `device`'s access ports; record moves; fill IPs from the ARP
    table for any endpoint of the organization; flag duplicates. Flushes; the caller commits.
    Idempotent for the same input (a second run records no move)."""
    now = now or utcnow()
    org_id = device.organization_id
    counts = {"seen": 0, "created": 0, "moved": 0, "ip_updates": 0}
    ifaces = {i.if_index: i for i in db.session.scalars(select(Interface).where(Interface.device_id == device.id))
              if i.if_index is not None}
    own = {i.mac for i in ifaces.values() if i.mac}
    edge = access_ports(device, fdb)
    where: dict[str, list] = defaultdict(list)
    for entry in fdb:
        if entry.if_index in edge and entry.mac not in own:
            where[entry.mac].append(entry)
    existing = {e.mac: e for e in db.session.scalars(
        select(Endpoint).where(Endpoint.organization_id == org_id, Endpoint.mac.in_(sorted(where))))} if where else {}
    for mac, entries in where.items():
        entry = entries[0]
        iface = ifaces.get(entry.if_index)
        iface_id = iface.id if iface else None
        ep = existing.get(mac)
        counts["seen"] += 1
        if ep is None:
            ep = Endpoint(organization_id=org_id, mac=mac, vendor=oui.vendor_for(mac), device_id=device.id,
                          interface_id=iface_id, vlan=entry.vlan, first_seen=now, last_seen=now,
                          ip=arp.get(mac), is_duplicate=len({e.if_index for e in entries}) > 1)
            db.session.add(ep)
            counts["created"] += 1
            continue
        if (ep.device_id, ep.interface_id) != (device.id, iface_id):
            db.session.add(EndpointMove(endpoint_id=ep.id, at=now, from_device_id=ep.device_id,
                                        from_interface_id=ep.interface_id, to_device_id=device.id,
                                        to_interface_id=iface_id))
            ep.device_id, ep.interface_id = device.id, iface_id
            counts["moved"] += 1
        ep.vlan = entry.vlan if entry.vlan is not None else ep.vlan
        ep.last_seen = now
        ep.is_duplicate = len({e.if_index for e in entries}) > 1 or _ip_shared(ep)
        if ep.vendor is None:
            ep.vendor = oui.vendor_for(mac)
    db.session.flush()
    counts["ip_updates"] = apply_arp(org_id, arp)
    return counts


def _ip_shared(ep: Endpoint) -> bool:
    if not ep.ip:
        return False
    return bool(db.session.scalar(select(func.count()).select_from(Endpoint).where(
        Endpoint.organization_id == ep.organization_id, Endpoint.ip == ep.ip, Endpoint.mac != ep.mac)))


def apply_arp(org_id: int, arp: dict[str, str]) -> int:
    """Set the IP of the organization's endpoints from an ARP table; flag an IP held by several
    MACs as duplicate on each of them. Returns how many endpoints changed IP."""
    if not arp:
        return 0
    changed = 0
    rows = list(db.session.scalars(select(Endpoint).where(Endpoint.organization_id == org_id,
                                                           Endpoint.mac.in_(sorted(arp)))))
    touched_ips = set()
    for ep in rows:
        ip = arp.get(ep.mac)
        if ip and ep.ip != ip:
            touched_ips.update({ip, ep.ip} - {None})
            ep.ip = ip
            changed += 1
        elif ip:
            touched_ips.add(ip)
    db.session.flush()
    if touched_ips:
        dup = set(db.session.scalars(
            select(Endpoint.ip).where(Endpoint.organization_id == org_id, Endpoint.ip.in_(sorted(touched_ips)))
            .group_by(Endpoint.ip).having(func.count(func.distinct(Endpoint.mac)) > 1)))
        db.session.execute(update(Endpoint).where(Endpoint.organization_id == org_id,
                                                  Endpoint.ip.in_(sorted(touched_ips)))
                           .values(is_duplicate=Endpoint.ip.in_(sorted(dup)) if dup else False))
    return changed


def search(q: str, org_ids: set[int] | None, limit: int = 50) -> list[Endpoint]:
    """Where is this MAC/IP? `q` is a MAC (any spelling, or its first octets), an IP address or
    prefix (10.1.2.0/24), or part of a hostname/vendor. Scoped to `org_ids` (None: all)."""
    q = (q or "").strip()
    if not q:
        raise ValidationError("give a MAC address, an IP address or a name to search for", field="q")
    if len(q) > 255:
        raise ValidationError("q is too long", field="q")
    query = select(Endpoint)
    if org_ids is not None:
        query = query.where(Endpoint.organization_id.in_(org_ids))
    mac = oui.normalize_mac(q)
    if mac:
        query = query.where(Endpoint.mac == mac)
    elif _is_ip(q):
        query = query.where(Endpoint.ip == str(ipaddress.ip_address(q)))
    elif "/" in q and _is_net(q):
        net = ipaddress.ip_network(q, strict=False)
        prefix = (str(net.network_address).rsplit(".", 4 - net.prefixlen // 8)[0]
                  if net.version == 4 and net.prefixlen >= 8 else None)
        query = query.where(Endpoint.ip.like(f"{prefix}.%") if prefix else Endpoint.ip.is_not(None))
    elif _mac_prefix(q):
        query = query.where(Endpoint.mac.like(f"{_mac_prefix(q)}%"))
    else:
        like = f"%{q.replace('%', '').replace('_', '')}%"
        query = query.where(or_(Endpoint.hostname.like(like), Endpoint.vendor.like(like)))
    rows = list(db.session.scalars(query.order_by(Endpoint.last_seen.desc()).limit(limit)))
    if mac is None and "/" in q and _is_net(q):
        net = ipaddress.ip_network(q, strict=False)
        rows = [r for r in rows if r.ip and _is_ip(r.ip) and ipaddress.ip_address(r.ip) in net]
    return rows


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        return False


def _is_net(value: str) -> bool:
    try:
        ipaddress.ip_network(value, strict=False)
        return True
    except ValueError:
        return False


def _mac_prefix(value: str) -> str | None:
    """ "00:50:56" or "0050.56" → "00:50:56" (whole octets only)."""
    digits = "".join(ch for ch in value.lower() if ch in "0123456789abcdef")
    if len(digits) < 4 or len(digits) % 2 or any(ch not in "0123456789abcdefABCDEF:.-" for ch in value):
        return None
    return ":".join(digits[i:i + 2] for i in range(0, len(digits), 2))


def moves(endpoint_id: int, limit: int = 50) -> list[EndpointMove]:
    """An endpoint's port history, newest first."""
    return list(db.session.scalars(select(EndpointMove).where(EndpointMove.endpoint_id == endpoint_id)
                                   .order_by(EndpointMove.at.desc(), EndpointMove.id.desc()).limit(limit)))
