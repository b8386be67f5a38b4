"""End hosts: learned from switches' forwarding tables (BRIDGE/Q-BRIDGE) and routers' ARP and IPv6
neighbour tables, named by reverse DNS, with their moves between ports, duplicates, and a
"where is this MAC/IP?" search.

Access-port rule (where endpoints are learned): a port counts as an access port when, in this
poll, it carries at most `MAX_MACS_PER_ACCESS_PORT` learned MACs and none of them belongs to
an interface of a device ZAS manages. Uplinks and trunks see hundreds of MACs, or the MAC of
the neighbouring switch/router, so they never move an endpoint away from its real edge port.
"""
from __future__ import annotations

import ipaddress
import math
import os
import socket
import threading
import time
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
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


def learn(device: Device, fdb, arp: dict[str, str], now: datetime | None = None,
          arp6: dict[str, str] | None = None) -> dict:
    """Upsert the endpoints seen on `device`'s access ports; record moves; fill IPv4 and IPv6
    addresses from the neighbour tables (`arp`, `arp6`: {mac: address}) for any endpoint of the
    organization; flag duplicates. Flushes; the caller commits. Idempotent for the same input
    (a second run records no move)."""
    arp6 = arp6 or {}
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
                          ip=arp.get(mac), ipv6=arp6.get(mac), is_duplicate=len({e.if_index for e in entries}) > 1)
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
    counts["ip_updates"] = apply_arp(org_id, arp) + apply_ipv6(org_id, arp6)
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


def apply_ipv6(org_id: int, arp6: dict[str, str]) -> int:
    """Set the IPv6 address of the organization's endpoints from an IPv6 neighbour table; flag an
    address held by several MACs as duplicate (never clears a flag: IPv4 decides that). Returns
    how many endpoints changed address."""
    if not arp6:
        return 0
    changed = 0
    for ep in db.session.scalars(select(Endpoint).where(Endpoint.organization_id == org_id,
                                                        Endpoint.mac.in_(sorted(arp6)))):
        if ep.ipv6 != arp6[ep.mac]:
            ep.ipv6 = arp6[ep.mac]
            changed += 1
    db.session.flush()
    dup = set(db.session.scalars(
        select(Endpoint.ipv6).where(Endpoint.organization_id == org_id, Endpoint.ipv6.in_(sorted(set(arp6.values()))))
        .group_by(Endpoint.ipv6).having(func.count(func.distinct(Endpoint.mac)) > 1)))
    if dup:
        db.session.execute(update(Endpoint).where(Endpoint.organization_id == org_id, Endpoint.ipv6.in_(sorted(dup)))
                           .values(is_duplicate=True))
    return changed


def search(q: str, org_ids: set[int] | None, limit: int = 50) -> list[Endpoint]:
    """Where is this MAC/IP? `q` is a MAC (any spelling, or its first octets), an IPv4 or IPv6
    address or prefix (10.1.2.0/24, fd00:1::/48), or part of a hostname/vendor. Scoped to
    `org_ids` (None: all)."""
    q = (q or "").strip()
    if not q:
        raise ValidationError("give a MAC address, an IP address or a name to search for", field="q")
    if len(q) > 255:
        raise ValidationError("q is too long", field="q")
    query = select(Endpoint)
    if org_ids is not None:
        query = query.where(Endpoint.organization_id.in_(org_ids))
    mac = None if _is_ip(q) else oui.normalize_mac(q)  # "fd00:1:2:3::abcd" has 12 hex digits too
    if mac:
        query = query.where(Endpoint.mac == mac)
    elif _is_ip(q):
        # stored in canonical form, so "FD00:0:1::A" finds "fd00:0:1::a"
        address = str(ipaddress.ip_address(q))
        query = query.where(or_(Endpoint.ip == address, Endpoint.ipv6 == address))
    elif "/" in q and _is_net(q):
        net = ipaddress.ip_network(q, strict=False)
        if net.version == 6:
            # compressed text has no usable prefix for LIKE: read the candidates, test them below
            return [r for r in db.session.scalars(query.where(Endpoint.ipv6.is_not(None))
                                                  .order_by(Endpoint.last_seen.desc()).limit(100 * limit))
                    if _is_ip(r.ipv6) and ipaddress.ip_address(r.ipv6) in net][:limit]
        prefix = (str(net.network_address).rsplit(".", 4 - net.prefixlen // 8)[0]
                  if net.prefixlen >= 8 else None)
        query = query.where(Endpoint.ip.like(f"{prefix}.%") if prefix else Endpoint.ip.is_not(None))
    elif _mac_prefix(q):
        query = query.where(Endpoint.mac.like(f"{_mac_prefix(q)}%"))
    else:
        like = f"%{q.replace('%', '').replace('_', '')}%"
        query = query.where(or_(Endpoint.hostname.like(like), Endpoint.vendor.like(like), Endpoint.ipv6.like(like)))
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


# --- reverse DNS: MAC → port → IP → hostname ----------------------------------------------------------

@dataclass(frozen=True)
class DnsSettings:
    """Reverse lookups of endpoint addresses: on/off, seconds per lookup and per poll, cache TTL."""

    enabled: bool = True
    timeout: float = 1.0
    budget: float = 3.0
    ttl: float = 3600.0
    workers: int = 8

    @classmethod
    def from_config(cls, config) -> "DnsSettings":
        return cls(enabled=bool(config.get("ENDPOINT_DNS", True)),
                   timeout=max(0.05, float(config.get("ENDPOINT_DNS_TIMEOUT", 1.0))),
                   budget=max(0.0, float(config.get("ENDPOINT_DNS_BUDGET", 3.0))),
                   ttl=max(0.0, float(config.get("ENDPOINT_DNS_TTL", 3600))))


# {address: (name or None, monotonic expiry)}; a miss is cached too, so a dead resolver costs one
# timeout per address per TTL, not one per poll
_NAMES: dict[str, tuple[str | None, float]] = {}
_PENDING: dict[str, Future] = {}
_NAMES_LOCK = threading.Lock()
_POOL: dict = {"pid": None, "pool": None}
NEGATIVE_TTL = 300.0  # a missing or failed name is asked again sooner than a found one expires


def reverse_lookup(address: str) -> str | None:
    """The PTR name of an address through the system resolver (/etc/hosts, then DNS), None if it
    has none. Blocks for as long as the resolver takes: call it from `resolve_names`' pool."""
    try:
        name = socket.getnameinfo((address, 0), socket.NI_NAMEREQD)[0]
    except (socket.gaierror, socket.herror, OSError, UnicodeError):
        return None
    name = name.rstrip(".")
    return name[:255] if name and name != address else None


def _pool(workers: int) -> ThreadPoolExecutor:
    # a pool inherited through fork (an RQ work horse) has no threads behind it: make a new one
    if _POOL["pid"] != os.getpid():
        _POOL.update(pid=os.getpid(), pool=ThreadPoolExecutor(max_workers=workers, thread_name_prefix="zas-dns"))
        _PENDING.clear()
    return _POOL["pool"]


def _lookup_into_cache(address: str, ttl: float) -> str | None:
    name = reverse_lookup(address)
    with _NAMES_LOCK:
        _NAMES[address] = (name, time.monotonic() + (ttl if name else min(ttl, NEGATIVE_TTL)))
        _PENDING.pop(address, None)
    return name


def resolve_names(addresses, settings: DnsSettings) -> dict[str, str]:
    """{address: name} for the addresses that have a PTR name, from the in-process cache or fresh
    lookups in a small thread pool. Bounded: waits at most `settings.budget` seconds in all (about
    `settings.timeout` per round of lookups) and starts only as many lookups as can finish in that
    time; a lookup still running when the time is up fills the cache for the next poll. An address
    whose lookup fails or times out is simply absent. Never raises for a resolver problem."""
    if not settings.enabled:
        return {}
    now = time.monotonic()
    names: dict[str, str] = {}
    waiting: dict[str, Future] = {}
    room = settings.workers * max(1, math.floor(settings.budget / settings.timeout))
    with _NAMES_LOCK:
        pool = _pool(settings.workers)
        for address in dict.fromkeys(a for a in addresses if a):
            cached = _NAMES.get(address)
            if cached is not None and cached[1] > now:
                if cached[0]:
                    names[address] = cached[0]
            elif address in _PENDING:
                waiting[address] = _PENDING[address]
            elif room > 0:
                room -= 1
                waiting[address] = _PENDING[address] = pool.submit(_lookup_into_cache, address, settings.ttl)
    if waiting and settings.budget > 0:
        rounds = math.ceil(len(waiting) / settings.workers)
        wait(list(waiting.values()), timeout=min(settings.budget, settings.timeout * rounds))
    for address, future in waiting.items():
        if future.done() and not future.cancelled() and future.exception() is None and future.result():
            names[address] = future.result()
    return names


def clear_name_cache() -> None:
    """Forget every cached name (tests; a resolver change)."""
    with _NAMES_LOCK:
        _NAMES.clear()


def addresses_to_name(org_id: int, macs) -> list[str]:
    """The IPv4 and IPv6 addresses of the organization's endpoints with these MACs."""
    macs = sorted(set(macs))
    if not macs:
        return []
    rows = db.session.execute(select(Endpoint.ip, Endpoint.ipv6).where(Endpoint.organization_id == org_id,
                                                                         Endpoint.mac.in_(macs)))
    return [a for row in rows for a in row if a]


def apply_hostnames(org_id: int, names: dict[str, str]) -> int:
    """Set the hostname of the organization's endpoints whose IPv4 (else IPv6) address has a name
    in `names`. An endpoint without a name there keeps the one it had. Returns how many changed."""
    if not names:
        return 0
    changed = 0
    rows = db.session.scalars(select(Endpoint).where(
        Endpoint.organization_id == org_id, or_(Endpoint.ip.in_(sorted(names)), Endpoint.ipv6.in_(sorted(names)))))
    for ep in rows:
        name = names.get(ep.ip) or names.get(ep.ipv6)
        if name and ep.hostname != name:
            ep.hostname = name
            changed += 1
    db.session.flush()
    return changed
