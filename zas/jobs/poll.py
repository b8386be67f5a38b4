"""Poll: read a device's telemetry over SNMP (system group, interfaces, CPU/memory, forwarding and
ARP tables) and store samples, rates and endpoints. Read-only on the device.

The SNMP exchange runs per device; the writes run per group of finished devices (`record`), so
a poll cycle costs about what its SNMP costs, not a database round per interface.

Also `discover_device`, the SNMP discovery used for devices without an SSH credential profile,
and `ensure_default_schedules`, the per-organization "SNMP poll" schedule.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select, update

from zas.errors import DeviceError, SnmpError
from zas.extensions import db
from zas.models import Device, JobResult, Organization, Schedule, SnmpProfile
from zas.models.types import utcnow
from zas.services import dbmanager, endpoints, snmp, telemetry

log = logging.getLogger(__name__)

# easysnmp is not thread-safe: one device at a time per process; RQ workers (processes) scale out
CONCURRENCY = 1
# a device's poll takes milliseconds: claim eight per transaction rather than commit per device
# (a cancel lets up to seven claimed devices per lane still finish; a poll changes nothing)
CLAIM_AHEAD = 8
DEFAULT_POLL = "SNMP poll"


def organization_profiles(org_id: int) -> list[snmp.SnmpCredentials]:
    """The organization's SNMP profiles by priority, copied out (secrets stay `Secret`s)."""
    return [snmp.SnmpCredentials.from_profile(p) for p in db.session.scalars(
        select(SnmpProfile).where(SnmpProfile.organization_id == org_id)
        .order_by(SnmpProfile.priority, SnmpProfile.id))]


def snmp_target(device, profiles: list[snmp.SnmpCredentials]) -> snmp.SnmpTarget:
    """The device's agent and the profiles to try: its own (remembered) one first, then its
    organization's by priority. A device that timed out last time gets no retries (fail fast).
    `device` is a Device or a row with its SNMP columns."""
    own = [p for p in profiles if p.profile_id == device.snmp_profile_id]
    ordered = own + [p for p in profiles if p.profile_id != device.snmp_profile_id]
    return snmp.SnmpTarget(device_id=device.id, name=device.name, host=device.host, port=device.snmp_port or 161,
                           credentials=tuple(ordered),
                           retries=0 if device.last_poll_status == "timeout" else None,
                           remembered=bool(own) and device.last_poll_status == "ok")


def _open(step):
    """An SNMP session to the step's device, from what the job's lane read once for all its devices."""
    device = step.ctx.device(step.device_id)
    if device is None:
        raise DeviceError("the device was deleted after the job was queued")
    profiles = step.ctx.cached(("snmp-profiles", device.organization_id),
                               lambda: organization_profiles(device.organization_id))
    db.session.remove()  # no connection held while the agent answers
    target = snmp_target(device, profiles)
    step.snmp_target = target
    try:
        session, creds = snmp.connect(target, snmp.SnmpSettings.from_config(current_app.config))
    except SnmpError as exc:
        step.snmp_error_class = exc.error_class
        raise
    return session, creds


@dataclass
class PollResult:
    """What one device's poll read, kept on the step until the recorder writes its group."""

    data: snmp.PollData
    profile_id: int | None
    fdb: list = field(default_factory=list)
    arp: dict = field(default_factory=dict)
    arp6: dict = field(default_factory=dict)


def run_device(step) -> None:
    """Poll one device over SNMP; `record` writes what it read, with the rest of its group."""
    session, creds = _open(step)
    with session:
        try:
            result = PollResult(data=snmp.poll(session), profile_id=creds.profile_id)
        except SnmpError as exc:
            step.snmp_error_class = exc.error_class
            raise
        try:
            result.fdb = snmp.read_fdb(session)
            result.arp, result.arp6 = snmp.read_neighbours(session)
        except SnmpError as exc:  # endpoints are a bonus: a poll that got its counters succeeded
            step.log(f"forwarding/ARP tables not read: {exc}", "warning")
    step.poll = result


def record(steps) -> None:
    """Write a group of finished polls: samples, counters and device state for all of them in a
    few statements, then each device's endpoints and agent problems; failures mark the poll status."""
    polled = [s for s in steps if s.status == "succeeded" and getattr(s, "poll", None) is not None]
    failed = [s for s in steps if s.status == "failed"]
    wanted = [s.device_id for s in polled + failed]
    devices = {d.id: d for d in db.session.scalars(select(Device).where(Device.id.in_(wanted)))} if wanted else {}
    polled = [s for s in polled if s.device_id in devices]  # deleted meanwhile: nothing to write
    for step in polled:
        device = devices[step.device_id]
        if device.snmp_profile_id != step.poll.profile_id:
            device.snmp_profile_id = step.poll.profile_id  # remembered: tried first next time
    summaries = telemetry.record_polls([(devices[s.device_id], s.poll.data) for s in polled]) if polled else {}
    dns = endpoints.DnsSettings.from_config(current_app.config)
    for step in polled:
        device, result, summary = devices[step.device_id], step.poll, summaries[step.device_id]
        data = result.data
        if telemetry.note_problems(device, data.problems):
            log.warning("device %s (%s): agent sent unusable values, stored as unknown: %s", device.id,
                        device.name, "; ".join(data.problems[:10]))
            step.log(f"agent sent {len(data.problems)} unusable value(s), stored as unknown: "
                     + "; ".join(data.problems[:5]), "warning")
        learned = None
        if result.fdb or result.arp or result.arp6:
            learned = endpoints.learn(device, result.fdb, result.arp, arp6=result.arp6)
            if dns.enabled:
                step.to_name = (device.organization_id, endpoints.addresses_to_name(
                    device.organization_id, [e.mac for e in result.fdb] + list(result.arp) + list(result.arp6)))
        step.changed = summary.rebooted or summary.created > 0
        step.output = (f"{summary.interfaces} interfaces, {summary.rates} with rates"
                       + (", reboot detected (no rate this interval)" if summary.rebooted else "")
                       + (f", cpu {data.cpu_percent:.0f}%" if data.cpu_percent is not None else "")
                       + (f"; endpoints: {learned['seen']} seen, {learned['created']} new, {learned['moved']} moved"
                          if learned else "") + f"; {data.requests} SNMP requests")
    for step in failed:
        if step.device_id in devices:
            on_failure(step, devices[step.device_id], step.error)
    db.session.flush()


def after_record(steps) -> None:
    """Name the group's endpoints by reverse DNS, outside the results' transaction: one bounded
    round of lookups for the whole group (the DNS budget); a failed lookup keeps the old name."""
    wanted = [(step, *step.to_name) for step in steps if getattr(step, "to_name", None)]
    names = endpoints.resolve_names([a for _, _, addresses in wanted for a in addresses],
                                    endpoints.DnsSettings.from_config(current_app.config)) if wanted else {}
    for step, org_id, addresses in wanted:
        mine = {a: names[a] for a in addresses if a in names}
        if mine:
            step.output = f"{step.output}, {endpoints.apply_hostnames(org_id, mine)} named"
            db.session.execute(update(JobResult).where(JobResult.job_id == step.job_id,
                                                       JobResult.device_id == step.device_id)
                               .values(output=step.output))
    db.session.commit()


def on_failure(step, device, error: str) -> None:
    """Mark the device's poll status (timeout, auth_failed, ...) without touching other devices."""
    error_class = getattr(step, "snmp_error_class", None)
    if step.ctx.kind == "poll" or error_class:
        telemetry.record_failure(device, error_class or "error", error or "poll failed")


VENDORS = {"9": "Cisco", "30065": "Arista", "2636": "Juniper", "8072": "Net-SNMP", "11": "HP", "2011": "Huawei",
           "674": "Dell", "6027": "Dell", "1991": "Brocade", "25506": "H3C", "14988": "MikroTik", "12356": "Fortinet"}
VERSION = re.compile(r"(?:Version|JUNOS|EOS version)\s+([\w.()\-]+)", re.I)


def facts_from_system(system: snmp.SystemInfo) -> dict:
    """hostname, vendor, software_version and uptime from the system group."""
    facts = {"hostname": system.name}
    if system.object_id and system.object_id.startswith("1.3.6.1.4.1."):
        facts["vendor"] = VENDORS.get(system.object_id.split(".")[6])
    match = VERSION.search(system.descr or "")
    if match:
        facts["software_version"] = match.group(1).rstrip(",")[:128]
    if system.uptime_ticks is not None:
        facts["uptime_seconds"] = system.uptime_ticks // 100
    return facts


def discover_device(step) -> None:
    """Discover over SNMP (devices without an SSH credential profile): facts from the system group,
    interfaces from IF-MIB. Read-only on the device; idempotent."""
    session, creds = _open(step)
    with session:
        problems: list[str] = []
        system = snmp.read_system(session, problems)
        interfaces = snmp.read_interfaces(session, problems, snmp.DISCOVER_COLUMNS, rows=system.if_number)
    facts = facts_from_system(system)
    found = [{"name": s.label[:128], "if_index": s.if_index, "description": s.alias, "admin_status": s.admin_status,
              "oper_status": s.oper_status, "speed": s.speed, "mac": s.mac, "mtu": s.mtu} for s in interfaces]
    with step.db() as device:
        if device.snmp_profile_id != creds.profile_id:
            device.snmp_profile_id = creds.profile_id
        changes = dbmanager.sync_facts(device, facts)
        counts = dbmanager.sync_interfaces(device, found)
    step.changed = bool(changes) or bool(counts["created"] or counts["removed"] or counts["updated"])
    summary = ", ".join(f"{k}={v}" for k, v in sorted(facts.items()) if v is not None)
    step.output = (f"facts (SNMP): {summary or 'none'}\ninterfaces: {len(found)} found, {counts['created']} new, "
                   f"{counts['updated']} updated, {counts['removed']} removed")


def poll_cron(interval_seconds) -> str:
    """ZAS_POLL_INTERVAL (seconds) as a cron expression: every N minutes (at least 1)."""
    minutes = max(1, round(float(interval_seconds) / 60))
    if minutes >= 60:
        hours = max(1, min(24, minutes // 60))
        return "0 * * * *" if hours == 1 else f"0 */{hours} * * *"
    return "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"


def ensure_default_schedules() -> int:
    """Give every organization an "SNMP poll" schedule of all its devices (once; admins may edit or
    disable it). Flushes; returns how many were created."""
    from zas.services.schedules import next_run

    cron = poll_cron(current_app.config["POLL_INTERVAL"])
    have = set(db.session.scalars(select(Schedule.organization_id).where(Schedule.name == DEFAULT_POLL)))
    created = 0
    for org_id in db.session.scalars(select(Organization.id)):
        if org_id not in have:
            db.session.add(Schedule(organization_id=org_id, name=DEFAULT_POLL, kind="poll", cron=cron, params={},
                                    target_filter={}, next_run_at=next_run(cron, utcnow())))
            created += 1
    db.session.flush()
    return created
