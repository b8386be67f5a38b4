"""Structured facts from show output, through ntc-templates (TextFSM), not hand-written regexes.

Each platform names the commands to run and maps the template's fields to ZAS's facts and
interface columns. A missing template or unparseable output gives empty results, never an error:
discovery then keeps what it already knew.
"""
from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

VENDORS = {"cisco_ios": "Cisco", "cisco_xe": "Cisco", "cisco_nxos": "Cisco", "arista_eos": "Arista",
           "juniper_junos": "Juniper"}
FACT_COMMANDS = {"juniper_junos": ["show version", "show system uptime", "show chassis hardware"]}
INTERFACE_COMMAND = "show interfaces"

_UNITS = {"year": 365 * 86400, "week": 7 * 86400, "day": 86400, "hour": 3600, "minute": 60, "second": 1}


def parse(platform: str, command: str, output: str) -> list[dict]:
    """TextFSM rows as lower-case dicts; [] when no template exists or nothing matched."""
    from ntc_templates.parse import parse_output

    try:
        rows = parse_output(platform=platform, command=command, data=output)
    except Exception as exc:  # textfsm raises its own classes and plain ones; none should stop a job
        log.info("no structured parse of %r for %s: %s", command, platform, type(exc).__name__)
        return []
    return [{k.lower(): v for k, v in row.items()} for row in rows]


def uptime_seconds(text: str | None) -> int | None:
    """'1 year, 2 weeks, 3 days, 4 hours, 5 minutes' (any order, any subset) in seconds."""
    if not text:
        return None
    total = 0
    found = False
    for number, unit in re.findall(r"(\d+)\s*(year|week|day|hour|minute|second)s?", text):
        total += int(number) * _UNITS[unit]
        found = True
    junos = re.search(r"\((?:(\d+)w)?(?:(\d+)d)?\s*(\d+):(\d+)(?::(\d+))? ago\)", text)
    if not found and junos:
        w, d, h, m, s = (int(x) if x else 0 for x in junos.groups())
        return w * 604800 + d * 86400 + h * 3600 + m * 60 + s
    return total if found else None


def _first(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value or None


def facts_commands(platform: str) -> list[str]:
    return FACT_COMMANDS.get(platform, ["show version"])


def parse_facts(platform: str, outputs: dict[str, str], prompt: str | None = None) -> dict:
    """Model, serial, software version, hostname and uptime from the facts commands' output."""
    rows = parse(platform, "show version", outputs.get("show version", ""))
    row = rows[0] if rows else {}
    facts = {"vendor": VENDORS.get(platform)}
    if platform == "arista_eos":
        facts.update(model=row.get("model"), serial=row.get("serial_number"), software_version=row.get("image"),
                     uptime_seconds=uptime_seconds(row.get("uptime")), hostname=prompt)
    elif platform == "juniper_junos":
        uptime_out = outputs.get("show system uptime", "")
        chassis = parse(platform, "show chassis hardware", outputs.get("show chassis hardware", ""))
        serial = _first(row.get("serial_number")) or (chassis[0].get("chassis_serial_number") if chassis else None)
        facts.update(model=row.get("model"), serial=serial,
                     software_version=row.get("junos_version"), hostname=row.get("hostname") or prompt,
                     uptime_seconds=uptime_seconds(uptime_out))
    else:
        facts.update(model=_first(row.get("hardware")), serial=_first(row.get("serial")),
                     software_version=row.get("version"), hostname=row.get("hostname") or prompt,
                     uptime_seconds=uptime_seconds(row.get("uptime")))
    return {k: v for k, v in facts.items() if v not in (None, "", [])}


def mac(value: str | None) -> str | None:
    """Any MAC notation as aa:bb:cc:dd:ee:ff."""
    digits = re.sub(r"[^0-9a-fA-F]", "", value or "")
    if len(digits) != 12:
        return None
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2)).lower()


def _bandwidth_bps(value: str | None) -> int | None:
    match = re.match(r"\s*(\d+)\s*([KMG]?)bit", value or "", re.I)
    if not match:
        return None
    scale = {"": 1, "K": 1000, "M": 10**6, "G": 10**9}[match.group(2).upper()]
    return int(match.group(1)) * scale


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def parse_interfaces(platform: str, output: str) -> list[dict]:
    """Interface rows ready for `dbmanager.sync_interfaces`."""
    result = []
    for row in parse(platform, INTERFACE_COMMAND, output):
        name = row.get("interface")
        if not name:
            continue
        link = (row.get("link_status") or "").lower()
        if platform == "juniper_junos":
            admin = "down" if (row.get("admin_state") or "").lower() in ("disabled", "down") else "up"
            oper = "up" if link == "up" else "down"
            ips = [row["local"]] if row.get("local") else []
        else:
            admin = "down" if "administratively" in link or "disabled" in link else "up"
            oper = "up" if (row.get("protocol_status") or "").lower().startswith("up") else "down"
            ip = row.get("ip_address")
            if ip and "/" not in ip and row.get("prefix_length"):
                ip = f"{ip}/{row['prefix_length']}"
            ips = [ip] if ip else []
        vlan = _int(row.get("vlan_id")) if row.get("vlan_id") else None
        result.append({
            "name": name, "description": (row.get("description") or None), "admin_status": admin,
            "oper_status": oper, "mac": mac(row.get("mac_address")), "mtu": _int(row.get("mtu")),
            "speed": _bandwidth_bps(row.get("bandwidth")), "ip_addresses": ips, "vlan": vlan,
        })
    return result
