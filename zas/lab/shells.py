"""Per-platform CLIs (IOS, EOS, Junos) over a line-oriented terminal, as netmiko's drivers expect them."""
from __future__ import annotations

import difflib
import hashlib
import re
import time
from pathlib import Path

from zas.lab import model as m

IOS_INVALID = "% Invalid input detected at '^' marker."
TOP_WORDS = {
    "hostname", "ip", "ipv6", "no", "snmp-server", "ntp", "logging", "username", "enable", "service", "boot",
    "line", "router", "access-list", "aaa", "spanning-tree", "clock", "cdp", "lldp", "vlan", "interface",
    "archive", "crypto", "errdisable", "vtp", "default", "alias", "mac", "radius", "tacacs-server", "banner",
    "management", "transceiver", "daemon", "event-handler", "queue-monitor", "ssh", "control-plane", "license",
    "policy-map", "class-map", "route-map", "prefix-list", "mpls", "port-channel",
}
SUB_WORDS = {
    "description", "ip", "ipv6", "shutdown", "no", "switchport", "speed", "duplex", "name", "mtu", "channel-group",
    "spanning-tree", "login", "transport", "exec-timeout", "password", "network", "router-id", "passive-interface",
    "bandwidth", "load-interval", "cdp", "lldp", "storm-control", "encapsulation", "vrf", "standby", "vrrp",
    "idle-timeout", "access-class", "logging", "privilege", "neighbor", "redistribute", "default", "flowcontrol",
    "negotiation", "keepalive", "media-type", "state", "service-policy", "ntp",
}
SUB_MODES = {"interface": "config-if", "vlan": "config-vlan", "line": "config-line", "router": "config-router",
             "management": "config-mgmt"}
IOS_IF_ABBR = {"gi": "GigabitEthernet", "gig": "GigabitEthernet", "gigabitethernet": "GigabitEthernet",
               "lo": "Loopback", "loopback": "Loopback", "vl": "Vlan", "vlan": "Vlan",
               "et": "Ethernet", "eth": "Ethernet", "ethernet": "Ethernet", "ma": "Management",
               "management": "Management", "po": "Port-Channel", "port-channel": "Port-Channel"}


class Terminal:
    """What a shell needs from its connection (implemented over asyncssh in `sshd`)."""

    def write(self, text: str) -> None: ...

    async def readline(self, echo: bool = True) -> str | None: ...

    async def send(self, text: str) -> bool: ...   # a command's answer (faults apply); False: connection cut

    def close(self) -> None: ...


def match_words(words: list[str], pattern: tuple[str, ...]) -> int | None:
    """None when `words` abbreviate `pattern` (a trailing "*" takes any arguments), else the index of the first mismatch."""
    for i, p in enumerate(pattern):
        if p == "*":
            return None
        if i >= len(words):
            return -1  # incomplete
        if p == "ARG":
            continue
        if not p.startswith(words[i].lower()):
            return i
    return None if len(words) == len(pattern) else len(pattern)


def apply_pipe(text: str, pipe: str) -> str:
    """`| include X`, `| exclude X`, `| begin X`, `| count`, Junos `| match` / `| except`."""
    words = pipe.strip().split(None, 1)
    if not words:
        return text
    op, arg = words[0].lower(), (words[1] if len(words) > 1 else "")
    lines = text.split("\n")
    try:
        rx = re.compile(arg)
    except re.error:
        rx = re.compile(re.escape(arg))
    if "include".startswith(op) or op == "match":
        return "\n".join(l for l in lines if rx.search(l))
    if "exclude".startswith(op) or op == "except":
        return "\n".join(l for l in lines if not rx.search(l))
    if "begin".startswith(op):
        for i, l in enumerate(lines):
            if rx.search(l):
                return "\n".join(lines[i:])
        return ""
    if op == "count":
        return f"Count: {len([l for l in lines if l.strip()])} lines"
    return text


def md5_of(path: Path) -> str:
    h = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class BaseShell:
    """A CLI session on one device."""

    def __init__(self, dev: m.LabDevice, term: Terminal, lab):
        self.dev = dev
        self.term = term
        self.lab = lab          # the server: reload() and reload_delay
        self.user = dev.creds["username"]
        self.mode = "exec"
        self.section: int | None = None  # index of the section header line being edited
        self.closed = False

    # -- helpers -----------------------------------------------------------------------------------
    def hostname(self) -> str:
        return self.dev.hostname()

    def prompt(self) -> str:
        raise NotImplementedError

    def banner(self) -> str:
        return ""

    async def run(self) -> None:
        self.term.write(self.banner() + self.prompt())
        while not self.closed:
            line = await self.term.readline()
            if line is None:
                return
            output = await self.handle(line.rstrip("\r\n"))
            if self.closed:
                return
            text = (output + "\n" if output else "") + self.prompt()
            if not await self.term.send(text):
                return

    async def handle(self, line: str) -> str:
        raise NotImplementedError

    def flash_path(self, name: str) -> Path | None:
        """A device path (flash:/x, /mnt/flash/x, /var/tmp/x, file:...) as a file in the flash dir."""
        for prefix in ("file:", "flash:", "/mnt/flash", "/var/tmp", "bootflash:"):
            if name.startswith(prefix):
                name = name[len(prefix):]
        name = name.lstrip("/")
        if not name:
            return self.dev.flash
        if "/" in name or name in (".", ".."):
            return None
        return self.dev.flash / name

    def reload_target(self) -> str:
        return self.dev.state.get("boot") or self.dev.state["image"]

    def caret(self, line: str, index: int) -> str:
        words = line.split()
        pos = 0
        for i, w in enumerate(words):
            pos = line.index(w, pos)
            if i == index:
                break
            pos += len(w)
        else:
            pos = len(line)
        return " " * (len(self.prompt().split("\n")[-1]) + pos) + "^"

    async def confirm(self, question: str) -> str | None:
        if not await self.term.send(question):
            return None
        answer = await self.term.readline()
        return None if answer is None else answer.strip().lower()

    async def do_reload(self) -> None:
        self.lab.reload(self.dev, self.reload_target())
        self.closed = True
        self.term.close()


class CiscoLikeShell(BaseShell):
    """The IOS/EOS family: user/privileged exec, `configure terminal` with indented sections."""

    indent = " "
    config_header = ""

    def prompt(self) -> str:
        host = self.hostname()
        if self.mode == "exec":
            return f"{host}>"
        if self.mode == "enable":
            return f"{host}#"
        return f"{host}({self.mode})#"

    def banner(self) -> str:
        return (f"\n{self.dev.info['vendor']} {self.dev.info['model']} - ZAS device lab\n"
                "Authorized access only; all activity may be monitored and reported.\n\n")

    # -- exec --------------------------------------------------------------------------------------
    async def handle(self, line: str) -> str:
        if not line.strip():
            return ""
        if line.strip() == "\x1a":
            line = "end"
        if self.mode not in ("exec", "enable"):
            return await self.handle_config(line)
        return await self.handle_exec(line)

    def exec_commands(self) -> list[tuple[tuple[str, ...], str, bool]]:
        """(pattern, method, needs enable)."""
        return [
            (("enable",), "c_enable", False), (("disable",), "c_disable", True),
            (("terminal", "length", "ARG"), "c_noop", False), (("terminal", "width", "ARG"), "c_noop", False),
            (("terminal", "*"), "c_noop", False), (("exit",), "c_exit", False), (("quit",), "c_exit", False),
            (("logout",), "c_exit", False),
            (("show", "version"), "show_version", False), (("show", "running-config", "*"), "show_running", True),
            (("show", "startup-config"), "show_startup", True), (("show", "interfaces", "*"), "show_interfaces", False),
            (("show", "inventory"), "show_inventory", False), (("show", "ip", "arp"), "show_arp", False),
            (("show", "arp"), "show_arp", False), (("show", "mac", "address-table"), "show_mac", False),
            (("show", "ip", "interface", "brief"), "show_ip_int_brief", False),
            (("show", "clock"), "show_clock", False), (("show", "boot"), "show_boot", False),
            (("show", "bootvar"), "show_boot", False), (("show", "boot-config"), "show_boot", False),
            (("configure", "terminal"), "c_configure", True), (("configure",), "c_configure", True),
            (("write", "memory"), "c_write", True), (("write",), "c_write", True),
            (("copy", "running-config", "startup-config"), "c_write", True),
            (("dir", "*"), "c_dir", False), (("verify", "/md5", "ARG"), "c_md5", True),
            (("delete", "*"), "c_delete", True), (("reload",), "c_reload", True), (("bash",), "c_bash", True),
        ]

    async def handle_exec(self, line: str) -> str:
        cmd, _, pipe = line.partition("|")
        words = cmd.split()
        best = 0
        for pattern, method, needs_enable in self.exec_commands():
            miss = match_words(words, pattern)
            if miss is None and (not needs_enable or self.mode == "enable"):
                out = getattr(self, method)(words)
                if hasattr(out, "__await__"):
                    out = await out
                return apply_pipe(out, pipe) if pipe else out
            if miss == -1 and (not needs_enable or self.mode == "enable"):
                best = -1
            elif miss is not None and miss > 0 and best != -1:
                best = max(best, miss)
        if best == -1:
            return "% Incomplete command."
        return self.invalid(line, best)

    def invalid(self, line: str, index: int) -> str:
        return f"{self.caret(line, index)}\n{IOS_INVALID}"

    def c_noop(self, words):
        if words[0] == "terminal" and len(words) > 1 and "width".startswith(words[1]) and self.dev.platform == "arista_eos":
            return f"Width set to {words[2] if len(words) > 2 else 511} columns."
        if words[0] == "terminal" and len(words) > 1 and "length".startswith(words[1]) and self.dev.platform == "arista_eos":
            return "Pagination disabled."
        return ""

    async def c_enable(self, words):
        if self.mode == "enable":
            return ""
        for _ in range(3):
            if not await self.term.send("Password: "):
                return ""
            secret = await self.term.readline(echo=False)
            if secret is None:
                self.closed = True
                return ""
            self.term.write("\n")
            if secret.strip() == self.dev.creds["secret"]:
                self.mode = "enable"
                return ""
        return "% Bad secrets\n" if self.dev.platform == "cisco_ios" else "% Access denied"

    def c_disable(self, words):
        self.mode = "exec"
        return ""

    def c_exit(self, words):
        self.closed = True
        self.term.close()
        return ""

    def c_configure(self, words):
        if len(words) > 1 and not "terminal".startswith(words[1].lower()):
            return self.invalid(" ".join(words), 1)
        self.mode = "config"
        self.section = None
        return "Enter configuration commands, one per line.  End with CNTL/Z." if self.dev.platform == "cisco_ios" else ""

    def c_write(self, words):
        self.dev.state["startup"] = list(self.dev.running)
        self.dev.save()
        if self.dev.platform == "arista_eos":
            return "Copy completed successfully."
        return "Building configuration...\n[OK]"

    def show_clock(self, words):
        return "*" + m.now_text(fmt="%H:%M:%S.000 UTC %a %b %d %Y")

    def show_startup(self, words):
        return self.render_config(self.dev.state["startup"], startup=True)

    def show_running(self, words):
        return self.render_config(self.dev.running)

    def c_dir(self, words):
        target = words[1] if len(words) > 1 else "flash:"
        path = self.flash_path(target)
        if path is None or (path != self.dev.flash and not path.exists()):
            return f"%Error opening {target} (No such file or directory)"
        files = [path] if path != self.dev.flash else sorted(p for p in self.dev.flash.iterdir() if p.is_file())
        shown = "flash:/" + (path.name if path != self.dev.flash else "")
        out = [f"Directory of {shown}", ""]
        for i, f in enumerate(files, start=1):
            st = f.stat()
            out.append(f"{i:>5}  -rw-  {st.st_size:>12}  {m.now_text(st.st_mtime, '%b %d %Y %H:%M:%S')} +00:00  {f.name}")
        used = sum(f.stat().st_size for f in self.dev.flash.iterdir() if f.is_file())
        total = 4_000_000_000
        out += ["", f"{total} bytes total ({total - used} bytes free)"]
        return "\n".join(out)

    def c_md5(self, words):
        target = words[2]
        path = self.flash_path(target)
        if path is None or not path.is_file():
            return f"%Error opening {target} (No such file or directory)"
        return f"{'.' * 40}Done!\nverify /md5 ({target}) = {md5_of(path)}"

    def c_delete(self, words):
        targets = [w for w in words[1:] if not w.startswith("/")]
        if not targets:
            return "% Incomplete command."
        path = self.flash_path(targets[0])
        if path is None or not path.is_file():
            return f"%Error deleting {targets[0]} (No such file or directory)"
        path.unlink()
        return ""

    async def c_reload(self, words):
        if self.dev.running != self.dev.state["startup"]:
            question = "System configuration has been modified. Save? [yes/no]: "
            if self.dev.platform == "arista_eos":
                question = "System configuration has been modified. Save? [yes/no/cancel/diff]:"
            answer = await self.confirm(question)
            if answer is None:
                return ""
            if answer.startswith("y"):
                self.c_write(words)
            elif answer.startswith("c"):
                return ""
            self.term.write("\n")
        answer = await self.confirm("Proceed with reload? [confirm]")
        if answer is None or answer not in ("", "y", "yes"):
            return ""
        self.term.write("\n")
        await self.term.send("")
        await self.do_reload()
        return ""

    async def c_bash(self, words):
        if self.dev.platform != "arista_eos":
            return self.invalid(" ".join(words), 0)
        await UnixShell(self, "/mnt/flash").run()
        return ""

    # -- show commands -----------------------------------------------------------------------------
    def show_interfaces(self, words):
        rest = words[2:]
        ifs = self.dev.interfaces()
        if rest:
            name = self.normalize_if(" ".join(rest))
            ifs = [i for i in ifs if i.name == name]
            if not ifs:
                return self.invalid(" ".join(words), 2)
        return "\n".join(self.render_interface(i) for i in ifs)

    def normalize_if(self, text: str) -> str:
        mt = re.match(r"([A-Za-z-]+)\s*([\d/.]+)$", text.strip())
        if not mt:
            return text
        full = IOS_IF_ABBR.get(mt.group(1).lower())
        if full is None:
            for k, v in IOS_IF_ABBR.items():
                if v.lower().startswith(mt.group(1).lower()):
                    full = v
                    break
        return f"{full or mt.group(1)}{mt.group(2)}"

    def show_ip_int_brief(self, words):
        out = ["Interface              IP-Address      OK? Method Status                Protocol"]
        for i in self.dev.interfaces():
            status = "up" if i.admin_up else "administratively down"
            ip = i.ip.split("/")[0] if i.ip else "unassigned"
            out.append(f"{i.name:<22} {ip:<15} YES NVRAM  {status:<21} {'up' if i.oper_up else 'down'}")
        return "\n".join(out)

    # -- configuration mode ------------------------------------------------------------------------
    async def handle_config(self, line: str) -> str:
        s = line.strip()
        words = s.split()
        first = words[0].lower()
        if first == "end":
            self.mode, self.section = "enable", None
            return ""
        if first == "exit":
            if self.section is not None:
                self.mode, self.section = "config", None
            else:
                self.mode = "enable"
            return ""
        if first == "do" and len(words) > 1:
            saved = self.mode
            self.mode = "enable"
            try:
                return await self.handle_exec(s[3:].strip())
            finally:
                if self.mode == "enable":
                    self.mode = saved
        if first == "boot" and self.dev.platform == "arista_eos":
            return self.eos_boot(words)
        # a section command leaves the current section, as IOS does
        if first in SUB_MODES and (self.section is None or first in ("interface", "vlan", "router", "line")):
            return self.enter_section(words)
        if self.section is not None:
            if first in SUB_WORDS:
                self.edit_section(s)
                return ""
            if first not in TOP_WORDS:
                return self.invalid(line, 0)
            self.mode, self.section = "config", None
        if first not in TOP_WORDS:
            return self.invalid(line, 0)
        self.edit_top(s)
        return ""

    def enter_section(self, words: list[str]) -> str:
        first = words[0].lower()
        if len(words) < 2:
            return "% Incomplete command."
        if first == "interface":
            name = self.normalize_if(" ".join(words[1:]))
            known = self.dev.info["interfaces"]
            if name not in known and not re.match(r"(Loopback|Vlan|Port-Channel)\d+$", name):
                return self.invalid(" ".join(words), 1)
            header = f"interface {name}"
            mode = "config-if" if self.dev.platform == "cisco_ios" else f"config-if-{self.short_if(name)}"
        else:
            header = " ".join(words)
            mode = SUB_MODES[first]
        lines = self.dev.running
        if header not in lines:
            insert = len(lines)
            if first == "interface":
                last_if = max((i for i, l in enumerate(lines) if l.startswith("interface ")), default=None)
                if last_if is not None:
                    insert = self.section_end(last_if)
            lines[insert:insert] = [header, "!"]
            self.changed()
        self.section = lines.index(header)
        self.mode = mode
        return ""

    def short_if(self, name: str) -> str:
        mt = re.match(r"([A-Za-z]{2})[A-Za-z-]*(\S+)", name)
        return f"{mt.group(1)}{mt.group(2)}" if mt else name

    def section_end(self, start: int) -> int:
        lines = self.dev.running
        i = start + 1
        while i < len(lines) and lines[i].startswith(" "):
            i += 1
        return i

    def line_key(self, s: str) -> str:
        words = s.split()
        if words[0] == "no":
            words = words[1:]
        if not words:
            return s
        if words[0] in ("ip", "ipv6", "switchport", "spanning-tree", "snmp-server", "ntp", "clock", "logging",
                        "enable", "boot") and len(words) > 1:
            if words[:2] in (["snmp-server", "community"], ["ntp", "server"], ["logging", "host"]) and len(words) > 2:
                return " ".join(words[:3])
            if words[:2] == ["ip", "route"]:
                return s
            return " ".join(words[:2])
        if words[0] == "username" and len(words) > 1:
            return " ".join(words[:2])
        return words[0]

    def edit_section(self, s: str) -> None:
        lines = self.dev.running
        start = self.section
        end = self.section_end(start)
        body = lines[start + 1:end]
        key = self.line_key(s)
        negate = s.startswith("no ")
        if self.dev.platform == "cisco_ios" and s.startswith("ip address"):
            body = [b for b in body if b.strip() != "no ip address"]
        kept = [b for b in body if self.line_key(b.strip()) != key]
        if negate:
            if key == "ip address" and self.dev.platform == "cisco_ios":
                kept.append(self.indent + "no ip address")
            elif key == "shutdown" or self.dev.platform == "arista_eos" and key == "switchport":
                if key == "switchport":
                    kept.insert(0, self.indent + s)
            elif key not in ("shutdown",):
                pass
        elif key == "description":
            kept.insert(0, self.indent + s)
        else:
            kept.append(self.indent + s)
        lines[start + 1:end] = kept
        self.changed()

    def edit_top(self, s: str) -> None:
        lines = self.dev.running
        words = s.split()
        if words[0] == "no":
            target = " ".join(words[1:])
            out, i = [], 0
            while i < len(lines):
                l = lines[i]
                if not l.startswith(" ") and (l == target or l.startswith(target + " ")):
                    i = self.section_end(i)
                    continue
                out.append(l)
                i += 1
            lines[:] = out
            self.changed()
            return
        key = self.line_key(s)
        if s in lines:
            return
        if words[0] == "boot" and "boot-end-marker" in lines:
            lines.insert(lines.index("boot-end-marker"), s)
            self.changed()
            return
        singletons = ("hostname", "ip domain", "snmp-server location", "snmp-server contact", "clock timezone",
                      "enable secret", "username", "snmp-server community", "ntp server", "ip domain-name")
        if any(key.startswith(x) for x in singletons):
            for i, l in enumerate(lines):
                if not l.startswith(" ") and self.line_key(l) == key:
                    lines[i] = s
                    self.changed()
                    return
        lines.append(s)
        self.changed()

    def eos_boot(self, words: list[str]) -> str:
        if len(words) < 3 or words[1] != "system":
            return "% Incomplete command."
        path = self.flash_path(words[2])
        if path is None or not path.is_file():
            return f"% Error: file {words[2]} not found"
        self.dev.state["boot"] = path.name
        self.dev.save()
        return ""

    def changed(self) -> None:
        self.dev.touch(self.user)


class IosShell(CiscoLikeShell):
    """Cisco IOS 15 on an ISR 2900."""

    def render_config(self, lines: list[str], startup: bool = False) -> str:
        body = list(lines)
        # IOS prints the NTP clock period it has learnt; it changes on every read
        period = 17179000 + int(time.time() * 1000) % 1000
        ntp_at = next((i for i, l in enumerate(body) if l.startswith("ntp ")), len(body))
        body.insert(ntp_at, f"ntp clock-period {period}")
        text = "\n".join(body + ["!", "end"])
        header = ["", f"Current configuration : {len(text) + 200} bytes", "!"]
        if not startup:
            header = ["Building configuration...", ""] + header[1:]
            header += [f"! Last configuration change at {m.now_text()} by {self.dev.state['last_change_by']}",
                       f"! NVRAM config last updated at {m.now_text(self.dev.state['last_change'])} by "
                       f"{self.dev.state['last_change_by']}", "!"]
        else:
            header = [f"Using {len(text)} out of 262136 bytes", "!"]
        return "\n".join(header + [text])

    def show_version(self, words):
        d = self.dev
        booted = d.uptime
        return "\n".join([
            f"Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version {d.version}, RELEASE SOFTWARE (fc2)",
            "Technical Support: http://www.cisco.com/techsupport",
            "Copyright (c) 1986-2021 by Cisco Systems, Inc.",
            "Compiled Thu 28-Jan-21 06:46 by prod_rel_team", "",
            "ROM: System Bootstrap, Version 15.0(1r)M16, RELEASE SOFTWARE (fc1)", "",
            f"{self.hostname()} uptime is {m.format_uptime(booted)}",
            "System returned to ROM by power-on",
            f"System restarted at {m.now_text(d.state['boot_time'])}",
            f'System image file is "flash:{d.state["image"]}"',
            "Last reload type: Normal Reload", "Last reload reason: power-on", "",
            "This product contains cryptographic features and is subject to United",
            "States and local country laws governing import, export, transfer and use.", "",
            f"Cisco {d.info['model']} (revision 1.0) with 483328K/40960K bytes of memory.",
            f"Processor board ID {d.serial}",
            f"{len(d.info['interfaces'])} Gigabit Ethernet interfaces",
            "1 terminal line", "DRAM configuration is 64 bits wide with parity enabled.",
            "255K bytes of non-volatile configuration memory.",
            "250880K bytes of ATA System CompactFlash 0 (Read/Write)", "",
            "License Info:", "", "License UDI:", "",
            "-------------------------------------------------",
            "Device#   PID                   SN              ",
            "-------------------------------------------------",
            f"*1        {d.info['model']:<21} {d.serial}     ", "",
            "Configuration register is 0x2102", "",
        ])

    def render_interface(self, i: m.Interface) -> str:
        state = "up" if i.admin_up else "administratively down"
        proto = "up" if i.oper_up else "down"
        mac = m.dotted_mac(i.mac)
        lines = [f"{i.name} is {state}, line protocol is {proto} ",
                 f"  Hardware is CN Gigabit Ethernet, address is {mac} (bia {mac})"]
        if i.description:
            lines.append(f"  Description: {i.description}")
        if i.ip:
            lines.append(f"  Internet address is {i.ip}")
        bps_in, bps_out = i.rate_in * 8, i.rate_out * 8
        lines += [
            "  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec, ",
            "     reliability 255/255, txload 1/255, rxload 1/255",
            "  Encapsulation ARPA, loopback not set", "  Keepalive set (10 sec)",
            "  Full Duplex, 1Gbps, media type is RJ45" if i.oper_up else "  Auto-duplex, Auto Speed, media type is RJ45",
            "  output flow-control is unsupported, input flow-control is unsupported",
            "  ARP type: ARPA, ARP Timeout 04:00:00",
            "  Last input 00:00:00, output 00:00:00, output hang never",
            '  Last clearing of "show interface" counters never',
            "  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0",
            "  Queueing strategy: fifo", "  Output queue: 0/40 (size/max)",
            f"  5 minute input rate {bps_in} bits/sec, {i.rate_in // m.AVG_PACKET} packets/sec",
            f"  5 minute output rate {bps_out} bits/sec, {i.rate_out // m.AVG_PACKET} packets/sec",
            f"     {i.in_packets} packets input, {i.in_octets} bytes, 0 no buffer",
            "     Received 0 broadcasts (0 IP multicasts)", "     0 runts, 0 giants, 0 throttles ",
            "     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored",
            "     0 watchdog, 0 multicast, 0 pause input",
            f"     {i.out_packets} packets output, {i.out_octets} bytes, 0 underruns",
            "     0 output errors, 0 collisions, 1 interface resets", "     0 unknown protocol drops",
            "     0 babbles, 0 late collision, 0 deferred", "     0 lost carrier, 0 no carrier, 0 pause output",
            "     0 output buffer failures, 0 output buffers swapped out",
        ]
        return "\n".join(lines)

    def show_inventory(self, words):
        d = self.dev
        return "\n".join([
            f'NAME: "{d.info["model"]} chassis", DESCR: "{d.info["model"]} chassis"',
            f"PID: {d.info['model']:<18}, VID: V07 , SN: {d.serial}", "",
            'NAME: "PVDM3-16 on Slot 0", DESCR: "PVDMIII DSP SIMM with one DSP; 16 channels"',
            f"PID: PVDM3-16          , VID: V01 , SN: FOC{d.serial[3:]}", "",
        ])

    def show_arp(self, words):
        ifs = {i.if_index: i for i in self.dev.interfaces()}
        out = ["Protocol  Address          Age (min)  Hardware Addr   Type   Interface"]
        for i in ifs.values():
            if i.ip:
                out.append(f"Internet  {i.ip.split('/')[0]:<16}        -   {m.dotted_mac(i.mac)}  ARPA   {i.name}")
        for n, h in enumerate(self.dev.end_hosts()):
            out.append(f"Internet  {h.ip:<16} {n + 2:>8}   {m.dotted_mac(h.mac)}  ARPA   {ifs[h.if_index].name}")
        return "\n".join(out)

    def show_mac(self, words):
        ifs = {i.if_index: i for i in self.dev.interfaces()}
        hosts = self.dev.end_hosts()
        out = ["          Mac Address Table", "-------------------------------------------", "",
               "Vlan    Mac Address       Type        Ports", "----    -----------       --------    -----"]
        for h in hosts:
            short = re.sub(r"GigabitEthernet", "Gi", ifs[h.if_index].name)
            out.append(f"{h.vlan:>4}    {m.dotted_mac(h.mac)}    DYNAMIC     {short}")
        out.append(f"Total Mac Addresses for this criterion: {len(hosts)}")
        return "\n".join(out)

    def show_boot(self, words):
        boots = [l.split()[-1] for l in self.dev.state["startup"] if l.startswith("boot system ")]
        value = ";".join(f"{b},1" for b in boots) + (";" if boots else "")
        return "\n".join([f"BOOT variable = {value}", "CONFIG_FILE variable does not exist",
                          "BOOTLDR variable does not exist", "Configuration register is 0x2102", ""])

    def reload_target(self) -> str:
        for l in self.dev.state["startup"]:
            if l.startswith("boot system "):
                path = self.flash_path(l.split()[-1])
                if path is not None and path.is_file():
                    return path.name
        return self.dev.state["image"]


class EosShell(CiscoLikeShell):
    """Arista EOS 4.28 on a 7050TX."""

    indent = "   "

    def render_config(self, lines: list[str], startup: bool = False) -> str:
        d = self.dev
        header = ["! Command: show running-config" if not startup else "! Command: show startup-config",
                  f"! device: {self.hostname()} ({d.info['model']}, EOS-{d.version})", "!",
                  f"! boot system flash:/{d.state.get('boot') or d.state['image']}", "!"]
        return "\n".join(header + list(lines) + ["end"])

    def invalid(self, line: str, index: int) -> str:
        return "% Invalid input"

    def show_version(self, words):
        d = self.dev
        total, used = d.memory()
        return "\n".join([
            f"Arista {d.info['model']}", "Hardware version: 01.11", f"Serial number: {d.serial}",
            f"Hardware MAC address: {m.dotted_mac(d.if_mac(0))}", f"System MAC address: {m.dotted_mac(d.if_mac(0))}",
            "", f"Software image version: {d.version}", "Architecture: x86_64",
            f"Internal build version: {d.version}-28837868.{d.version.replace('.', '')}",
            "Internal build ID: 0b1a3c64-6d4c-4f3e-9c7a-7e2a1f0b9d2e", "Image format version: 2.0", "",
            f"Uptime: {m.format_uptime(d.uptime, 'eos')}", f"Total memory: {total // 1024} kB",
            f"Free memory: {(total - used) // 1024} kB", "",
        ])

    def render_interface(self, i: m.Interface) -> str:
        state = "up" if i.admin_up else "administratively down"
        proto = "up (connected)" if i.oper_up else "down (disabled)"
        mac = m.dotted_mac(i.mac)
        lines = [f"{i.name} is {state}, line protocol is {proto}",
                 f"  Hardware is Ethernet, address is {mac} (bia {mac})"]
        if i.description:
            lines.append(f"  Description: {i.description}")
        if i.ip:
            lines += [f"  Internet address is {i.ip}", "  Broadcast address is 255.255.255.255"]
        lines += [
            "  IP MTU 1500 bytes , BW 1000000 kbit" if i.ip else "  Ethernet MTU 9214 bytes , BW 1000000 kbit",
            "  Full-duplex, 1Gb/s, auto negotiation: on, uplink: off",
            f"  Up {m.format_uptime(self.dev.uptime)}" if i.oper_up else "  Down 2 days, 3 hours",
            "  Loopback Mode : None", "  2 link status changes since last clear",
            '  Last clearing of "show interface" counters never',
            f"  5 minutes input rate {i.rate_in * 8 / 1000:.1f} kbps (0.0% with framing overhead), "
            f"{i.rate_in // m.AVG_PACKET} packets/sec",
            f"  5 minutes output rate {i.rate_out * 8 / 1000:.1f} kbps (0.0% with framing overhead), "
            f"{i.rate_out // m.AVG_PACKET} packets/sec",
            f"     {i.in_packets} packets input, {i.in_octets} bytes", "     Received 0 broadcasts, 0 multicast",
            "     0 runts, 0 giants", "     0 input errors, 0 CRC, 0 alignment, 0 symbol, 0 input discards",
            "     0 PAUSE input", f"     {i.out_packets} packets output, {i.out_octets} bytes",
            "     Sent 0 broadcasts, 0 multicast", "     0 output errors, 0 collisions",
            "     0 late collision, 0 deferred, 0 output discards", "     0 PAUSE output",
        ]
        return "\n".join(lines)

    def show_inventory(self, words):
        d = self.dev
        return "\n".join([
            "System information", "  Model                    Description",
            "  ------------------------ ----------------------------------------------------",
            f"  {d.info['model']:<24} 48x10GBASE-T, 4xQSFP+ 1RU", "",
            "  HW Version  Serial Number  Mfg Date    Epoch", "  ----------- -------------- ----------- -----",
            f"  01.11       {d.serial:<14} 2019-02-20  01.00", "",
            "System has 2 power supply slots", "  Slot Model            Serial Number",
            "  ---- ---------------- ----------------",
            f"  1    PWR-500AC-R      EEWT{d.serial[3:]}", f"  2    PWR-500AC-R      EEWU{d.serial[3:]}", "",
        ])

    def show_arp(self, words):
        ifs = {i.if_index: i for i in self.dev.interfaces()}
        out = ["Address         Age (sec)  Hardware Addr   Interface"]
        for n, h in enumerate(self.dev.end_hosts()):
            out.append(f"{h.ip:<15} {'0:0%d:12' % (n + 1):>9}  {m.dotted_mac(h.mac)}  {ifs[h.if_index].name}")
        return "\n".join(out)

    def show_mac(self, words):
        ifs = {i.if_index: i for i in self.dev.interfaces()}
        hosts = self.dev.end_hosts()
        out = ["          Mac Address Table", "------------------------------------------------------------------", "",
               "Vlan    Mac Address       Type        Ports      Moves   Last Move",
               "----    -----------       ----        -----      -----   ---------"]
        for h in hosts:
            short = ifs[h.if_index].name.replace("Ethernet", "Et")
            out.append(f"{h.vlan:>4}    {m.dotted_mac(h.mac)}    DYNAMIC     {short:<10} 1       0:03:12 ago")
        out.append(f"Total Mac Addresses for this criterion: {len(hosts)}")
        return "\n".join(out)

    def show_boot(self, words):
        return "\n".join([f"Software image: flash:/{self.dev.state.get('boot') or self.dev.state['image']}",
                          "Console speed: (not set)", "Aboot password (encrypted): (not set)",
                          "Memory test iterations: (not set)"])


class UnixShell:
    """The bash / sh a network OS drops into (`bash` on EOS, `start shell sh` on Junos): enough for netmiko's SCP checks."""

    def __init__(self, parent: BaseShell, mount: str):
        self.p = parent
        self.mount = mount

    def prompt(self) -> str:
        return f"[{self.p.user}@{self.p.hostname()} ~]$ " if self.mount == "/mnt/flash" else "$ "

    async def run(self) -> None:
        term = self.p.term
        if not await term.send(self.prompt()):
            return
        while True:
            line = await term.readline()
            if line is None:
                self.p.closed = True
                return
            words = line.split()
            if words and words[0] in ("exit", "logout"):
                return
            out = self.command(words)
            if not await term.send((out + "\n" if out else "") + self.prompt()):
                self.p.closed = True
                return

    def command(self, words: list[str]) -> str:
        if not words:
            return ""
        args = [w for w in words[1:] if not w.startswith("-") and w != "2>" and w != "/dev/null"]
        cmd = words[0].rsplit("/", 1)[-1]
        if cmd == "ls":
            out = []
            for a in args or [self.mount]:
                path = self.p.flash_path(a)
                if path is None or not path.exists():
                    if "2>" not in words:
                        out.append(f"ls: cannot access '{a}': No such file or directory")
                    continue
                files = [path] if path.is_file() else sorted(path.iterdir())
                for f in files:
                    shown = a if path.is_file() else f.name
                    if "-l" in words:
                        st = f.stat()
                        out.append(f"-rwxrwx--- 1 {self.p.user} eosadmin {st.st_size} "
                                   f"{m.now_text(st.st_mtime, '%b %d %H:%M')} {shown}")
                    else:
                        out.append(shown)
            return "\n".join(out)
        if cmd == "df":
            used = sum(f.stat().st_size for f in self.p.dev.flash.iterdir() if f.is_file()) // 1024
            total = 3_906_250
            return ("Filesystem     1K-blocks    Used Available Use% Mounted on\n"
                    f"/dev/sda1        {total} {used} {total - used}   {used * 100 // total}% {self.mount}")
        if cmd == "md5sum" and args:
            path = self.p.flash_path(args[0])
            if path is None or not path.is_file():
                return f"md5sum: {args[0]}: No such file or directory"
            return f"{md5_of(path)}  {args[0]}"
        if cmd in ("pwd",):
            return self.mount
        return f"sh: {words[0]}: command not found"


class JunosShell(BaseShell):
    """Junos 21.4 on an EX2300: operational mode and a candidate configuration committed with `commit`."""

    OP = [
        (("show", "version"), "show_version"), (("show", "configuration", "*"), "show_configuration"),
        (("show", "interfaces", "terse"), "show_terse"), (("show", "interfaces", "*"), "show_interfaces"),
        (("show", "chassis", "hardware"), "show_hardware"), (("show", "arp", "*"), "show_arp"),
        (("show", "ethernet-switching", "table"), "show_mac"), (("show", "system", "uptime"), "show_uptime"),
        (("show", "system", "storage"), "show_storage"), (("show", "system", "software"), "show_software"),
        (("file", "list", "*"), "file_list"), (("file", "checksum", "md5", "ARG"), "file_md5"),
        (("file", "delete", "ARG"), "file_delete"),
        (("request", "system", "software", "add", "*"), "software_add"),
        (("request", "system", "reboot"), "reboot"),
        (("set", "cli", "screen-length", "ARG"), "cli_length"), (("set", "cli", "screen-width", "ARG"), "cli_width"),
        (("set", "cli", "complete-on-space", "ARG"), "cli_complete"), (("set", "cli", "*"), "noop"),
        (("configure", "*"), "configure"), (("start", "shell", "*"), "shell"), (("exit",), "quit"),
        (("quit",), "quit"),
    ]
    HIERARCHY = {"system", "interfaces", "snmp", "vlans", "routing-options", "protocols", "policy-options",
                 "firewall", "chassis", "class-of-service", "security", "forwarding-options", "routing-instances",
                 "groups", "apply-groups", "event-options", "services", "poe", "switch-options", "access"}

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.candidate: list[str] | None = None

    def prompt(self) -> str:
        if self.mode == "config":
            return f"\n[edit]\n{self.user}@{self.hostname()}# "
        return f"{self.user}@{self.hostname()}> "

    def banner(self) -> str:
        return f"--- JUNOS {self.dev.version} Kernel 32-bit  JNPR-11.0-20230317.ee9be0e_buil\n"

    async def handle(self, line: str) -> str:
        cmd, _, pipe = line.partition("|")
        words = cmd.split()
        if not words:
            return ""
        if self.mode == "config":
            out = await self.handle_config(words, line)
        else:
            out = await self.dispatch(words, line)
        if pipe and out:
            for part in pipe.split("|"):
                p = part.strip()
                if p.startswith("display set"):
                    if words[0] == "show":
                        lines = self.candidate if self.mode == "config" else self.dev.running
                        out = "\n".join([f"set version {self.dev.version}"] + list(lines))
                elif p and not p.startswith("no-more") and not p.startswith("display"):
                    out = apply_pipe(out, p)
        return out

    async def dispatch(self, words: list[str], line: str) -> str:
        best = 0
        for pattern, method in self.OP:
            miss = match_words(words, pattern)
            if miss is None:
                out = getattr(self, method)(words)
                if hasattr(out, "__await__"):
                    out = await out
                return out
            if miss == -1:
                best = -1
            elif miss and best != -1:
                best = max(best, miss)
        if best == -1:
            return f"{self.caret(line, len(words))}\nsyntax error, expecting <command>."
        if best == 0:
            return f"{self.caret(line, 0)}\nunknown command."
        return f"{self.caret(line, best)}\nsyntax error, expecting <command>."

    def noop(self, words):
        return ""

    def cli_length(self, words):
        return f"Screen length set to {words[3]}"

    def cli_width(self, words):
        return f"Screen width set to {words[3]}"

    def cli_complete(self, words):
        return "Disabling complete-on-space" if words[3] == "off" else "Enabling complete-on-space"

    def quit(self, words):
        self.closed = True
        self.term.close()
        return ""

    async def shell(self, words):
        await UnixShell(self, "/var/tmp").run()
        return ""

    def configure(self, words):
        self.mode = "config"
        self.candidate = list(self.dev.running)
        return "Entering configuration mode"

    # -- operational show commands ----------------------------------------------------------------
    def show_version(self, words):
        d = self.dev
        v = d.version
        return "\n".join([
            "fpc0:", "--------------------------------------------------------------------------",
            f"Hostname: {self.hostname()}", f"Model: {d.info['model']}", f"Junos: {v}",
            f"JUNOS OS Kernel 32-bit  [20230317.ee9be0e_builder_stable_11]",
            "JUNOS OS libs [20230317.ee9be0e_builder_stable_11]",
            "JUNOS OS runtime [20230317.ee9be0e_builder_stable_11]",
            f"JUNOS EX  Software Suite [{v}]", f"JUNOS Online Documentation [{v}]",
            f"JUNOS EX Packet Forwarding Engine Support (EX 2300) [{v}]",
            f"JUNOS Web Management Platform Package [{v}]", "",
        ])

    def show_configuration(self, words):
        d = self.dev
        head = (f"## Last commit: {m.now_text(d.state['last_change'], '%Y-%m-%d %H:%M:%S UTC')} "
                f"by {d.state['last_change_by']}")
        return head + "\n" + m.junos_render(d.running, d.version)

    def show_interfaces(self, words):
        ifs = self.dev.interfaces()
        if len(words) > 2:
            ifs = [i for i in ifs if i.name == words[2]]
            if not ifs:
                return f"error: device {words[2]} not found"
        out = []
        for i in ifs:
            mac = i.mac
            out += [
                f"Physical interface: {i.name}, {'Enabled' if i.admin_up else 'Disabled'}, "
                f"Physical link is {'Up' if i.oper_up else 'Down'}",
                f"  Interface index: {i.if_index + 500}, SNMP ifIndex: {i.if_index}",
            ]
            if i.description:
                out.append(f"  Description: {i.description}")
            out += [
                "  Link-level type: Ethernet, MTU: 1514, Link-mode: Full-duplex, Speed: 1000mbps, "
                "BPDU Error: None, Loop Detect PDU Error: None, MAC-REWRITE Error: None,",
                "  Device flags   : Present Running", "  Interface flags: SNMP-Traps Internal: 0x4000",
                "  Link flags     : None", "  CoS queues     : 8 supported, 8 maximum usable queues",
                f"  Current address: {mac}, Hardware address: {mac}",
                f"  Last flapped   : {m.now_text(self.dev.state['boot_time'], '%Y-%m-%d %H:%M:%S UTC')}",
                f"  Input rate     : {i.rate_in * 8} bps ({i.rate_in // m.AVG_PACKET} pps)",
                f"  Output rate    : {i.rate_out * 8} bps ({i.rate_out // m.AVG_PACKET} pps)",
                "  Active alarms  : None", "  Active defects : None",
                "  Interface transmit statistics: Disabled", "",
            ]
            if i.ip:
                net = i.ip.split("/")
                base = ".".join(net[0].split(".")[:3]) + ".0"
                out += [
                    f"  Logical interface {i.name}.0 (Index 550) (SNMP ifIndex {i.if_index + 500})",
                    "    Flags: Up SNMP-Traps 0x4004000 Encapsulation: ENET2",
                    f"    Input packets : {i.in_packets}", f"    Output packets: {i.out_packets}",
                    "    Protocol inet, MTU: 1500",
                    "      Flags: Sendbcast-pkt-to-re",
                    "      Addresses, Flags: Is-Preferred Is-Primary",
                    f"        Destination: {base}/{net[1]}, Local: {net[0]}, Broadcast: {base[:-1]}255", "",
                ]
        return "\n".join(out)

    def show_terse(self, words):
        out = ["Interface               Admin Link Proto    Local                 Remote"]
        for i in self.dev.interfaces():
            a, l = ("up" if i.admin_up else "down"), ("up" if i.oper_up else "down")
            out.append(f"{i.name:<23} {a:<5} {l}")
            if i.ip:
                out.append(f"{i.name + '.0':<23} {a:<5} {l}   inet     {i.ip}")
        return "\n".join(out)

    def show_hardware(self, words):
        d = self.dev
        s = d.serial
        return "\n".join([
            "Hardware inventory:",
            "Item             Version  Part number  Serial number     Description",
            f"Chassis                                {s:<17} {d.info['model'].upper()}",
            f"Routing Engine 0 REV 11   650-059881   {s:<17} RE-{d.info['model'].upper()}",
            f"FPC 0            REV 11   650-059881   {s:<17} {d.info['model'].upper()}",
            "  CPU                     BUILTIN      BUILTIN           FPC CPU",
            "  PIC 0                   BUILTIN      BUILTIN           24x10/100/1000 Base-T",
        ])

    def show_arp(self, words):
        ifs = {i.if_index: i for i in self.dev.interfaces()}
        hosts = self.dev.end_hosts()
        out = ["MAC Address       Address         Name                      Interface               Flags"]
        for h in hosts:
            out.append(f"{h.mac} {h.ip:<15} {h.ip:<25} {ifs[h.if_index].name + '.0':<23} none")
        out.append(f"Total entries: {len(hosts)}")
        return "\n".join(out)

    def show_mac(self, words):
        ifs = {i.if_index: i for i in self.dev.interfaces()}
        hosts = self.dev.end_hosts()
        vlans = {10: "users", 20: "servers"}
        out = ["", "MAC flags (S - static MAC, D - dynamic MAC, L - locally learned, P - Persistent static",
               "           SE - statistics enabled, NM - non configured MAC, R - remote PE MAC, O - ovsdb MAC)",
               "", "", f"Ethernet switching table : {len(hosts)} entries, {len(hosts)} learned",
               "Routing instance : default-switch",
               "   Vlan                MAC                 MAC         Age    Logical                NH        RTR ",
               "   name                address             flags              interface              Index     ID"]
        for h in hosts:
            out.append(f"   {vlans[h.vlan]:<19} {h.mac}   D             -   {ifs[h.if_index].name + '.0':<22} 0         0")
        return "\n".join(out)

    def show_uptime(self, words):
        d = self.dev
        return "\n".join([
            "fpc0:", "--------------------------------------------------------------------------",
            f"Current time: {m.now_text(None, '%Y-%m-%d %H:%M:%S UTC')}",
            f"System booted: {m.now_text(d.state['boot_time'], '%Y-%m-%d %H:%M:%S UTC')} "
            f"({m.format_uptime(d.uptime)} ago)",
            f"Last configured: {m.now_text(d.state['last_change'], '%Y-%m-%d %H:%M:%S UTC')} by "
            f"{d.state['last_change_by']}",
        ])

    def show_storage(self, words):
        used = sum(f.stat().st_size for f in self.dev.flash.iterdir() if f.is_file()) // 1024
        return ("fpc0:\n--------------------------------------------------------------------------\n"
                "Filesystem              Size       Used      Avail  Capacity   Mounted on\n"
                f"/dev/gpt/junos          1.3G       {used}K      1.1G       9%  /var/tmp")

    def show_software(self, words):
        return f"Software image: {self.dev.state['image']}\nPending image: {self.dev.state.get('boot')}"

    def file_list(self, words):
        path = self.flash_path(words[2] if len(words) > 2 else "/var/tmp/")
        if path is None or not path.exists():
            return f"{words[2]}: No such file or directory"
        if path.is_file():
            return words[2]
        return "/var/tmp/:\n" + "\n".join(p.name for p in sorted(path.iterdir()))

    def file_md5(self, words):
        path = self.flash_path(words[3])
        if path is None or not path.is_file():
            return f"error: could not resolve file: {words[3]}"
        return f"MD5 ({words[3]}) = {md5_of(path)}"

    def file_delete(self, words):
        path = self.flash_path(words[2])
        if path is None or not path.is_file():
            return f"error: could not resolve file: {words[2]}"
        path.unlink()
        return ""

    def software_add(self, words):
        args = [w for w in words[4:] if w not in ("no-validate", "reboot", "force", "no-copy")]
        if not args:
            return "error: missing argument: package-name"
        path = self.flash_path(args[0])
        if path is None or not path.is_file():
            return f"error: File does not exist: {args[0]}"
        self.dev.state["boot"] = path.name
        self.dev.save()
        return ("Installing package '{}' ...\nVerified {} signed by PackageProductionECP256_2023\n"
                "Saving the config files ...\nNOTICE: uncommitted changes have been saved in /var/db/config/juniper.conf.pre-install\n"
                "WARNING: A reboot is required to install the software\n"
                "WARNING:     Use the 'request system reboot' command immediately").format(args[0], path.name)

    async def reboot(self, words):
        answer = await self.confirm("Reboot the system ? [yes,no] (no) ")
        if answer is None or not answer.startswith("y"):
            return ""
        await self.term.send(f"\nShutdown NOW!\n[pid {4000 + self.dev.number}]\n")
        await self.do_reload()
        return ""

    # -- configuration mode -----------------------------------------------------------------------
    async def handle_config(self, words: list[str], line: str) -> str:
        verb = words[0]
        if verb == "set":
            if len(words) < 3 or words[1] not in self.HIERARCHY:
                return f"{self.caret(line, 1)}\nsyntax error."
            self.candidate = m.junos_set(self.candidate, m.split_tokens(line.split("|")[0])[1:])
            return ""
        if verb == "delete":
            if len(words) < 2:
                self.candidate = []
                return ""
            self.candidate, found = m.junos_delete(self.candidate, m.split_tokens(line)[1:])
            return "" if found else "warning: statement not found"
        if verb == "commit":
            if "check" in words:
                return "configuration check succeeds"
            if self.candidate != self.dev.running:
                self.dev.state["running"] = list(self.candidate)
                self.dev.state["startup"] = list(self.candidate)
                self.dev.touch(self.user)
            if "and-quit" in words:
                self.mode = "exec"
                return "commit complete\nExiting configuration mode"
            return "commit complete"
        if verb == "rollback":
            self.candidate = list(self.dev.running)
            return "load complete"
        if verb == "show":
            if len(words) > 1 and words[1] == "|":
                pass
            diff = "\n".join(difflib.unified_diff(self.dev.running, self.candidate, lineterm="", n=0))
            if "compare" in line:
                return diff
            return m.junos_render(self.candidate, self.dev.version)
        if verb == "run":
            saved, self.mode = self.mode, "exec"
            try:
                return await self.dispatch(words[1:], " ".join(words[1:]))
            finally:
                self.mode = saved
        if verb in ("exit", "quit"):
            if verb == "exit" and len(words) == 1 or (len(words) > 1 and words[1].startswith("configuration")) \
                    or verb == "quit":
                if self.candidate != self.dev.running:
                    answer = await self.confirm("The configuration has been changed but not committed\n"
                                                "Exit with uncommitted changes? [yes,no] (yes) ")
                    if answer is None:
                        return ""
                    if answer not in ("", "y", "yes"):
                        return ""
                self.mode = "exec"
                self.candidate = None
                return "Exiting configuration mode"
        if verb in ("top", "up", "edit"):
            return ""
        return f"{self.caret(line, 0)}\nunknown command."


SHELLS = {"cisco_ios": IosShell, "arista_eos": EosShell, "juniper_junos": JunosShell}
