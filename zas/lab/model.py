"""One simulated device: identity, persistent state, configuration editing and the data both CLIs show.

The running configuration is the single source of truth: hostname, interface descriptions,
addresses and shutdown state are read back from it by the CLI's show commands and by the SNMP
agent alike, so a change made over SSH is what the next SNMP poll sees.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
import shlex
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

# --- platform constants ----------------------------------------------------------------------------

PLATFORM_INFO = {
    "cisco_ios": dict(
        vendor="Cisco", model="CISCO2901/K9", oui="00:1b:54", serial_prefix="FTX",
        image="c2900-universalk9-mz.SPA.157-3.M8.bin", fs="flash:",
        interfaces=["GigabitEthernet0/0", "GigabitEthernet0/1", "GigabitEthernet0/2", "GigabitEthernet0/3"],
        sys_oid="1.3.6.1.4.1.9.1.1047",
    ),
    "arista_eos": dict(
        vendor="Arista", model="DCS-7050TX-64", oui="28:99:3a", serial_prefix="JPE",
        image="EOS-4.28.3M.swi", fs="flash:",
        interfaces=["Ethernet1", "Ethernet2", "Ethernet3", "Ethernet4"],
        sys_oid="1.3.6.1.4.1.30065.1.3011.7050.3741.64",
    ),
    "juniper_junos": dict(
        vendor="Juniper", model="ex2300-24t", oui="2c:6b:f5", serial_prefix="JW",
        image="junos-arm-32-21.4R3-S5.tgz", fs="/var/tmp/",
        interfaces=["ge-0/0/0", "ge-0/0/1", "ge-0/0/2", "ge-0/0/3"],
        sys_oid="1.3.6.1.4.1.2636.1.1.1.2.132",
    ),
}
IF_DESCRIPTIONS = ["uplink to core-01", "users", "servers", None]
WRAP_IFINDEX = 3          # this interface's 32-bit counters wrap every ~40 s
WRAP_RATE = 100_000_000   # bytes/s
AVG_PACKET = 700


def image_version(platform: str, filename: str) -> str:
    """The software version an image file name carries (its stem when no pattern matches)."""
    base = os.path.basename(filename.split(":", 1)[-1])
    if platform == "cisco_ios":
        m = re.search(r"(\d\d)(\d)-(\d+)\.(\w+?)\.bin$", base)
        if m:
            return f"{m.group(1)}.{m.group(2)}({m.group(3)}){m.group(4)}"
    elif platform == "arista_eos":
        m = re.search(r"EOS-(.+)\.swi$", base)
        if m:
            return m.group(1)
    else:
        m = re.search(r"-(\d+\.\d+[RXD][\w.-]*?)(?:\.\d+)?\.tgz$", base)
        if m:
            return m.group(1)
    return re.sub(r"\.(bin|swi|tgz|img)$", "", base)


def fake_hash(kind: str, text: str) -> str:
    """A stable crypt-looking string for a secret (the lab never stores secrets in its configs)."""
    alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    digest = hashlib.sha256((kind + text).encode()).digest() * 4
    chars = "".join(alphabet[b % 64] for b in digest)
    if kind == "md5":
        return f"$1${chars[:4]}${chars[4:26]}"
    return f"$6${chars[:8]}${chars[8:94]}"


def dotted_mac(mac: str) -> str:
    h = mac.replace(":", "")
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def prefix_to_mask(bits: int) -> str:
    value = (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF
    return ".".join(str((value >> s) & 255) for s in (24, 16, 8, 0))


def mask_to_prefix(mask: str) -> int:
    return sum(bin(int(p)).count("1") for p in mask.split("."))


def format_uptime(seconds: float, style: str = "ios") -> str:
    s = int(seconds)
    weeks, s = divmod(s, 7 * 86400)
    days, s = divmod(s, 86400)
    hours, s = divmod(s, 3600)
    minutes, s = divmod(s, 60)

    def unit(n, word):
        return f"{n} {word}{'' if n == 1 else 's'}"

    if style == "eos":
        parts = [unit(weeks, "week"), unit(days, "day"), unit(hours, "hour")]
        return ", ".join(parts) + f" and {unit(minutes, 'minute')}"
    parts = []
    if weeks:
        parts.append(unit(weeks, "week"))
    if weeks or days:
        parts.append(unit(days, "day"))
    if weeks or days or hours:
        parts.append(unit(hours, "hour"))
    parts.append(unit(minutes, "minute"))
    return ", ".join(parts)


@dataclass
class Interface:
    """An interface as the CLI and SNMP show it at one moment."""

    name: str
    if_index: int
    mac: str
    description: str
    ip: str | None          # "a.b.c.d/len"
    admin_up: bool
    rate_in: int            # bytes/s
    rate_out: int
    in_octets: int
    out_octets: int
    speed_mbps: int = 1000

    @property
    def oper_up(self) -> bool:
        return self.admin_up

    @property
    def in_packets(self) -> int:
        return self.in_octets // AVG_PACKET

    @property
    def out_packets(self) -> int:
        return self.out_octets // AVG_PACKET


@dataclass
class EndHost:
    """A host behind the device: one MAC table entry and one ARP entry."""

    mac: str
    ip: str
    if_index: int
    vlan: int
    ipv6: str = ""           # a global (ULA) neighbour address; the link-local one comes from the MAC

    @property
    def ipv6_link_local(self) -> str:
        """fe80:: + the modified EUI-64 of the MAC (RFC 4291), as a real host would configure."""
        b = bytes.fromhex(self.mac.replace(":", ""))
        eui = bytes([b[0] ^ 2]) + b[1:3] + b"\xff\xfe" + b[3:]
        return "fe80::" + ":".join(f"{int.from_bytes(eui[i:i + 2], 'big'):x}" for i in range(0, 8, 2))


class LabDevice:
    """A simulated device; its mutable state is saved as JSON in its own directory."""

    def __init__(self, spec: dict, creds: dict, root: Path):
        self.name: str = spec["name"]
        self.platform: str = spec["platform"]
        self.number: int = spec["number"]          # 1-based, global
        self.port: int = spec["port"]
        self.snmp_port: int = spec["snmp_port"]
        self.faults: dict = spec.get("faults") or {}
        self.creds = creds
        self.info = PLATFORM_INFO[self.platform]
        self.dir = root / "devices" / self.name
        self.flash = self.dir / "flash"
        self.rng = random.Random(f"{self.name}-{self.platform}")
        self.serial = self._make_serial()
        oui = self.info["oui"]
        n = self.number
        self.base_mac = f"{oui}:{(n >> 8) & 255:02x}:{n & 255:02x}:00"
        self.engine_id = bytes.fromhex("80000009030000") + bytes.fromhex(self.base_mac.replace(":", "")[:10]) + bytes([n & 255])
        self.down_until = 0.0          # a reload makes the device unreachable until then
        self.generation = 0            # bumped on every change, so cached views (SNMP) refresh
        self.state: dict = {}
        self.load()

    # -- identity ----------------------------------------------------------------------------------
    def _make_serial(self) -> str:
        r = self.rng
        prefix = self.info["serial_prefix"]
        if self.platform == "cisco_ios":
            return f"{prefix}{r.randint(1500, 2399)}{''.join(r.choice('ABCDEFGHJKLMNPRSTUVWXYZ0123456789') for _ in range(4))}"
        if self.platform == "arista_eos":
            return f"{prefix}{r.randint(10000000, 99999999)}"
        return f"{prefix}{r.randint(1000, 9999)}{''.join(r.choice('ABCDEFGHJKLMNPRSTUVWXYZ') for _ in range(2))}{r.randint(1000, 9999)}"

    def if_mac(self, if_index: int) -> str:
        return self.base_mac[:-2] + f"{if_index:02x}"

    def lan_prefix(self, if_index: int) -> str:
        n = self.number
        return f"10.{(n >> 8) & 255 if if_index == 2 else 100 + ((n >> 8) & 127)}.{n & 255}"

    def end_hosts(self) -> list[EndHost]:
        hosts = []
        for if_index, vlan in ((2, 10), (3, 20)):
            for k in range(2):
                mac = f"52:54:{(self.number >> 8) & 255:02x}:{self.number & 255:02x}:{if_index:02x}:{10 + k:02x}"
                n = self.number
                hosts.append(EndHost(mac=mac, ip=f"{self.lan_prefix(if_index)}.{10 + k}", if_index=if_index,
                                     vlan=vlan, ipv6=f"fd00:{n >> 8:x}:{n & 255:x}:{vlan:x}::{10 + k:x}"))
        return hosts

    # -- persistence -------------------------------------------------------------------------------
    @property
    def state_file(self) -> Path:
        return self.dir / "state.json"

    def load(self) -> None:
        if self.state_file.exists():
            self.state = json.loads(self.state_file.read_text())
        else:
            self.dir.mkdir(parents=True, exist_ok=True)
            image = self.info["image"]
            lines = self.initial_config()
            self.state = {
                "running": lines, "startup": list(lines), "image": image,
                "boot": image, "boot_time": time.time() - self.rng.randint(2 * 86400, 90 * 86400),
                "last_change": time.time(), "last_change_by": "admin",
            }
            self.save()
        self.flash.mkdir(parents=True, exist_ok=True)
        img = self.flash / self.state["image"]
        if not img.exists():
            img.write_bytes(f"ZAS lab image {image_version(self.platform, img.name)}\n".encode() * 64)

    def save(self) -> None:
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state, indent=1))
        os.replace(tmp, self.state_file)

    # -- running state -----------------------------------------------------------------------------
    @property
    def running(self) -> list[str]:
        return self.state["running"]

    @property
    def version(self) -> str:
        return image_version(self.platform, self.state["image"])

    @property
    def uptime(self) -> float:
        return max(0.0, time.time() - self.state["boot_time"])

    @property
    def reachable(self) -> bool:
        return time.time() >= self.down_until

    def touch(self, by: str) -> None:
        self.state["last_change"] = time.time()
        self.state["last_change_by"] = by
        self.generation += 1
        self.save()

    def hostname(self) -> str:
        if self.platform == "juniper_junos":
            for line in self.running:
                m = re.match(r"set system host-name (\S+)", line)
                if m:
                    return m.group(1)
            return "Amnesiac"
        for line in self.running:
            if line.startswith("hostname "):
                return line.split(None, 1)[1].strip()
        return "Router" if self.platform == "cisco_ios" else "localhost"

    def cpu_load(self) -> int:
        phase = (self.number * 37) % 100
        return int(8 + 6 * math.sin(time.time() / 120 + phase) + (self.number % 5))

    def memory(self) -> tuple[int, int]:
        """(total, used) in bytes."""
        total = {"cisco_ios": 494_927_872, "arista_eos": 4_077_862_912, "juniper_junos": 2_097_152_000}[self.platform]
        frac = 0.35 + 0.05 * math.sin(time.time() / 600 + self.number)
        return total, int(total * frac)

    def interfaces(self) -> list[Interface]:
        now_up = self.uptime
        cfg = self.interface_config()
        result = []
        for i, name in enumerate(self.info["interfaces"], start=1):
            c = cfg.get(name, {})
            admin_up = not c.get("shutdown", False)
            if i == WRAP_IFINDEX:
                rate_in, rate_out = WRAP_RATE, WRAP_RATE // 3
            else:
                r = random.Random(f"{self.name}-if{i}")
                rate_in, rate_out = r.randint(20_000, 2_000_000), r.randint(20_000, 2_000_000)
            if not admin_up:
                rate_in = rate_out = 0
            base = (self.number * 7919 + i * 104729) % 1_000_000
            result.append(Interface(
                name=name, if_index=i, mac=self.if_mac(i), description=c.get("description", ""),
                ip=c.get("ip"), admin_up=admin_up, rate_in=rate_in, rate_out=rate_out,
                in_octets=base + int(rate_in * now_up), out_octets=base + int(rate_out * now_up),
            ))
        return result

    def interface_config(self) -> dict[str, dict]:
        """Per interface name: description, ip ("a.b.c.d/len"), shutdown, read from the running config."""
        out: dict[str, dict] = {}
        if self.platform == "juniper_junos":
            for line in self.running:
                toks = split_tokens(line)
                if len(toks) < 4 or toks[:2] != ["set", "interfaces"]:
                    continue
                c = out.setdefault(toks[2], {})
                if toks[3] == "description":
                    c["description"] = " ".join(toks[4:])
                elif toks[3] == "disable":
                    c["shutdown"] = True
                elif "address" in toks and toks[3] == "unit":
                    c["ip"] = toks[toks.index("address") + 1]
            return out
        current = None
        for line in self.running:
            if line.startswith("interface "):
                current = out.setdefault(line.split(None, 1)[1].strip(), {})
                continue
            if not line.startswith(" "):
                current = None
                continue
            if current is None:
                continue
            s = line.strip()
            if s.startswith("description "):
                current["description"] = s[len("description "):]
            elif s == "shutdown":
                current["shutdown"] = True
            elif s.startswith("ip address "):
                parts = s.split()
                if len(parts) >= 4 and "." in parts[3]:
                    current["ip"] = f"{parts[2]}/{mask_to_prefix(parts[3])}"
                elif len(parts) >= 3 and "/" in parts[2]:
                    current["ip"] = parts[2]
        return out

    # -- initial configuration ---------------------------------------------------------------------
    def initial_config(self) -> list[str]:
        return {"cisco_ios": self._ios_config, "arista_eos": self._eos_config,
                "juniper_junos": self._junos_config}[self.platform]()

    def _addr(self, i: int) -> tuple[str, int] | None:
        n = self.number
        if i == 1:
            return f"172.16.{(n >> 6) & 255}.{(n & 63) * 4 + 2}", 30
        if i in (2, 3):
            return f"{self.lan_prefix(i)}.1", 24
        return None

    def _ios_config(self) -> list[str]:
        c = self.creds
        lines = [
            "version 15.7", "service timestamps debug datetime msec", "service timestamps log datetime msec",
            "service password-encryption", "!", f"hostname {self.name}", "!", "boot-start-marker",
            f"boot system flash:{self.info['image']}", "boot-end-marker", "!",
            f"enable secret 5 {fake_hash('md5', c['secret'])}", "!", "no aaa new-model",
            "clock timezone UTC 0 0", "!", "ip domain name lab.zas.example", "ip cef", "no ipv6 cef", "!",
            f"username {c['username']} privilege 15 secret 5 {fake_hash('md5', c['password'])}", "!",
            "vlan 10", " name users", "!", "vlan 20", " name servers", "!",
        ]
        for i, name in enumerate(self.info["interfaces"], start=1):
            lines.append(f"interface {name}")
            if IF_DESCRIPTIONS[i - 1]:
                lines.append(f" description {IF_DESCRIPTIONS[i - 1]}")
            addr = self._addr(i)
            if addr:
                lines.append(f" ip address {addr[0]} {prefix_to_mask(addr[1])}")
            else:
                lines += [" no ip address", " shutdown"]
            lines += [" duplex auto", " speed auto", "!"]
        gw = self._addr(1)[0].rsplit(".", 1)
        lines += [
            "ip forward-protocol nd", "no ip http server", "no ip http secure-server", "!",
            f"ip route 0.0.0.0 0.0.0.0 {gw[0]}.{int(gw[1]) - 1}", "!",
            f"snmp-server community {c['community']} RO", "snmp-server location ZAS lab, rack 1",
            "snmp-server contact noc@zas.example", "!", "line con 0", "line aux 0", "line vty 0 4",
            " login local", " transport input ssh", "!", "ntp server 10.255.0.1",
        ]
        return lines

    def _eos_config(self) -> list[str]:
        c = self.creds
        lines = [
            "transceiver qsfp default-mode 4x10G", "!", f"hostname {self.name}", "ip domain-name lab.zas.example",
            "!", "ntp server 10.255.0.1", "!", "snmp-server location ZAS lab, rack 2",
            "snmp-server contact noc@zas.example", f"snmp-server community {c['community']} ro", "!",
            "spanning-tree mode mstp", "!", "no aaa root", "!",
            f"username {c['username']} privilege 15 role network-admin secret sha512 {fake_hash('sha512', c['password'])}",
            "!", f"enable secret sha512 {fake_hash('sha512', c['secret'])}", "!",
            "vlan 10", "   name users", "!", "vlan 20", "   name servers", "!",
        ]
        for i, name in enumerate(self.info["interfaces"], start=1):
            lines.append(f"interface {name}")
            if IF_DESCRIPTIONS[i - 1]:
                lines.append(f"   description {IF_DESCRIPTIONS[i - 1]}")
            addr = self._addr(i)
            if addr:
                lines += ["   no switchport", f"   ip address {addr[0]}/{addr[1]}"]
            else:
                lines.append("   shutdown")
            lines.append("!")
        gw = self._addr(1)[0].rsplit(".", 1)
        lines += ["ip routing", "!", f"ip route 0.0.0.0/0 {gw[0]}.{int(gw[1]) - 1}", "!",
                  "management ssh", "   idle-timeout 60", "!"]
        return lines

    def _junos_config(self) -> list[str]:
        c = self.creds
        lines = [
            f"set system host-name {self.name}",
            f'set system root-authentication encrypted-password "{fake_hash("sha512", c["secret"])}"',
            f"set system login user {c['username']} uid 2000",
            f"set system login user {c['username']} class super-user",
            f'set system login user {c["username"]} authentication encrypted-password "{fake_hash("sha512", c["password"])}"',
            "set system services ssh", "set system domain-name lab.zas.example", "set system time-zone UTC",
            "set system ntp server 10.255.0.1",
            'set snmp location "ZAS lab, rack 3"', "set snmp contact noc@zas.example",
            f"set snmp community {c['community']} authorization read-only",
        ]
        for i, name in enumerate(self.info["interfaces"], start=1):
            if IF_DESCRIPTIONS[i - 1]:
                desc = IF_DESCRIPTIONS[i - 1]
                lines.append(f'set interfaces {name} description "{desc}"' if " " in desc
                             else f"set interfaces {name} description {desc}")
            addr = self._addr(i)
            if addr:
                lines.append(f"set interfaces {name} unit 0 family inet address {addr[0]}/{addr[1]}")
            else:
                lines.append(f"set interfaces {name} disable")
        gw = self._addr(1)[0].rsplit(".", 1)
        lines += [f"set routing-options static route 0.0.0.0/0 next-hop {gw[0]}.{int(gw[1]) - 1}",
                  "set vlans users vlan-id 10", "set vlans servers vlan-id 20",
                  "set protocols lldp interface all"]
        return lines


# --- Junos set-line handling ---------------------------------------------------------------------

KEYED = {"unit", "family", "user", "community", "vlan", "group", "interface", "neighbor", "server", "route",
         "file", "host", "policy-statement", "term", "filter", "prefix-list", "address-book", "zone", "class"}
FLAGS = {"ssh", "telnet", "netconf", "disable", "enable", "any", "all", "inet", "inet6", "ethernet-switching",
         "web-management", "http", "https"}


def split_tokens(line: str) -> list[str]:
    try:
        return shlex.split(line, posix=True)
    except ValueError:
        return line.split()


def quote(tok: str) -> str:
    return f'"{tok}"' if (not tok or re.search(r"[\s;{}#]", tok)) else tok


def junos_nodes(tokens: list[str]) -> list[str]:
    """Statement tokens grouped into hierarchy nodes (`unit 0` is one node)."""
    nodes, i = [], 0
    while i < len(tokens):
        if tokens[i] in KEYED and i + 1 < len(tokens) and tokens[i] != "class":
            nodes.append(f"{tokens[i]} {quote(tokens[i + 1])}")
            i += 2
        else:
            nodes.append(quote(tokens[i]))
            i += 1
    return nodes


def junos_split(tokens: list[str]) -> tuple[list[str], str, bool]:
    """(containers, leaf, leaf_has_value) for a statement's tokens (after `set`)."""
    nodes = junos_nodes(tokens)
    if len(nodes) == 1 or " " in nodes[-1] or nodes[-1] in FLAGS:
        return nodes[:-1], nodes[-1], False
    return nodes[:-2], f"{nodes[-2]} {nodes[-1]}", True


def junos_set(lines: list[str], tokens: list[str]) -> list[str]:
    """Candidate lines with `set <tokens>` applied (a leaf value replaces the previous one)."""
    containers, leaf, has_value = junos_split(tokens)
    key = leaf.split(" ", 1)[0] if has_value else leaf
    new_line = "set " + " ".join(quote(t) for t in tokens)
    out, placed = [], False
    for line in lines:
        c2, l2, v2 = junos_split(split_tokens(line)[1:])
        same = c2 == containers and (l2.split(" ", 1)[0] if v2 else l2) == key and v2 == has_value
        if same and key not in ("address",):
            if not placed:
                out.append(new_line)
                placed = True
            continue
        out.append(line)
    if not placed and new_line not in out:
        out.append(new_line)
    return out


def junos_delete(lines: list[str], tokens: list[str]) -> tuple[list[str], bool]:
    """Candidate lines without those under `delete <tokens>`; (lines, whether anything matched)."""
    out = [l for l in lines if split_tokens(l)[1:1 + len(tokens)] != tokens]
    return out, len(out) != len(lines)


def junos_render(lines: list[str], version: str) -> str:
    """Set lines as Junos's curly-brace configuration text."""
    tree: dict = {}
    for line in lines:
        containers, leaf, _ = junos_split(split_tokens(line)[1:])
        node = tree
        for c in containers:
            node = node.setdefault(c, {})
        node.setdefault(leaf + ";", None)
    out = [f"version {version};"]

    def walk(node: dict, depth: int) -> None:
        for key, child in node.items():
            pad = "    " * depth
            if child is None:
                out.append(pad + key)
            else:
                out.append(pad + key + " {")
                walk(child, depth + 1)
                out.append(pad + "}")

    walk(tree, 0)
    return "\n".join(out)


def now_text(ts: float | None = None, fmt: str = "%H:%M:%S UTC %a %b %d %Y") -> str:
    return datetime.fromtimestamp(ts if ts is not None else time.time(), timezone.utc).strftime(fmt)
