"""Configuration text rules per platform: what changes on every read, where secrets sit, how
to diff. Pure functions over strings; dbmanager applies them to stored versions."""
from __future__ import annotations

import difflib
import functools
import hashlib
import re

# lines that differ on every read without any change to the device
VOLATILE = {
    "cisco_ios": [r"^! Last configuration change at ", r"^! NVRAM config last updated at ",
                  r"^ntp clock-period ", r"^Building configuration", r"^Current configuration : \d+ bytes",
                  r"^! No configuration change since last restart"],
    "arista_eos": [r"^! Command: show running-config", r"^! device: .*\(.*\)$", r"^! Time: ",
                   r"^! Startup-config last modified at "],
    "juniper_junos": [r"^## Last commit: ", r"^## Last changed: ", r"^# ?Last commit"],
}
COMMON_VOLATILE = [r"^\s*$"]

# (pattern, group to hide): the secret part of a line
SECRET_PATTERNS = [
    re.compile(r"^(\s*(?:enable )?(?:secret|password)(?: (?:\d+|sha512|md5))? )(\S+)", re.M),
    re.compile(r"^(\s*username \S+(?: privilege \d+)?(?: role \S+)? (?:secret|password)(?: (?:\d+|sha512|md5))? )(\S+)", re.M),
    re.compile(r"^(\s*snmp-server community )(\S+)", re.M),
    re.compile(r"^(\s*snmp-server user \S+ \S+ (?:v3 )?auth \S+ )(\S+)", re.M),
    re.compile(r"^(\s*(?:tacacs-server|radius-server) (?:host \S+ )?key(?: \d+)? )(\S+)", re.M),
    re.compile(r"^(\s*(?:ip ospf )?(?:authentication-key|message-digest-key \d+ md5)(?: \d+)? )(\S+)", re.M),
    re.compile(r"^(\s*key(?: \d+)? )(\S+)$", re.M),
    re.compile(r"((?:encrypted-password|secret|authentication-key|pre-shared-key \S+) \"?)([^\";\s]+)"),
    re.compile(r"^(set snmp community )(\S+)", re.M),
    re.compile(r"^(\s*community )(\S+)(?=;)", re.M),
]
MASK = "<removed>"


@functools.lru_cache(maxsize=None)
def volatile_rule(platform: str) -> re.Pattern:
    """One pattern matching any volatile line of the platform: one search per line, not one per rule
    (a 500-device backup hashes every configuration it reads)."""
    return re.compile("|".join(f"(?:{p})" for p in VOLATILE.get(platform, []) + COMMON_VOLATILE))


def normalize(text: str, platform: str) -> str:
    """The text with volatile lines removed and line ends unified: what versions are compared on."""
    volatile = volatile_rule(platform).search
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join([line for line in map(str.rstrip, lines) if not volatile(line)]) + "\n"


def content_hash(text: str, platform: str) -> str:
    return hashlib.sha256(normalize(text, platform).encode()).hexdigest()


def mask_secrets(text: str) -> str:
    """The configuration with passwords, keys and communities replaced by a marker."""
    for pattern in SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text


def unified_diff(old: str, new: str, platform: str, old_label: str = "old", new_label: str = "new",
                 context: int = 3) -> str:
    """Unified diff of the normalized texts (volatile lines never show as changes)."""
    a = normalize(old, platform).splitlines(keepends=True)
    b = normalize(new, platform).splitlines(keepends=True)
    return "".join(difflib.unified_diff(a, b, fromfile=old_label, tofile=new_label, n=context))


def diff_stats(diff: str) -> tuple[int, int]:
    """(lines added, lines removed) in a unified diff."""
    added = removed = 0
    for line in diff.splitlines():
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return added, removed
