"""Predict the configuration a set of lines would produce, without touching the device.

A dry run of a bulk change shows each device's lines and the diff they would cause against its
last backup. The prediction follows the CLIs' own rules closely enough for review: IOS/EOS
sections by indentation (`interface X` opens one, `exit`/`end` closes it, `no X` removes a
line, a line with the same leading keywords replaces its sibling); Junos `set`/`delete` lines
against `display set` text. It is a prediction: the real run's before/after backups are the truth.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

SECTION = re.compile(
    r"^(interface|router|vlan|line|ip access-list|ipv6 access-list|route-map|policy-map|class-map|"
    r"key chain|vrf (definition|instance)|control-plane|management|aaa group|monitor session|"
    r"spanning-tree mst configuration|ip vrf|address-family|crypto|banner|snmp-server view|"
    r"username \S+ ssh-key|daemon|event-handler|mlag configuration|port-channel)\b"
)
# how many leading words identify a setting, so a new value replaces the old
KEY_WORDS = {"ip address": 2, "description": 1, "hostname": 1, "switchport access vlan": 3,
             "switchport mode": 2, "mtu": 1, "speed": 1, "duplex": 1, "shutdown": 1, "name": 1,
             "ntp server": 3, "logging host": 3, "ip domain-name": 2, "ip domain name": 3,
             "snmp-server location": 2, "snmp-server contact": 2, "banner motd": 2}


@dataclass
class Node:
    line: str
    children: list["Node"] = field(default_factory=list)


def _parse(text: str) -> Node:
    root = Node("")
    stack: list[tuple[int, Node]] = [(-1, root)]
    for raw in text.splitlines():
        if not raw.strip() or raw.strip() == "!" or raw.startswith("!"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        node = Node(raw.strip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack[-1][1].children.append(node)
        stack.append((indent, node))
    return root


def _render(node: Node, depth: int = 0) -> list[str]:
    out = []
    for child in node.children:
        out.append(" " * depth + child.line)
        out.extend(_render(child, depth + 1))
        if depth == 0 and child.children:
            out.append("!")
    return out


def _key(line: str) -> str:
    for prefix, words in sorted(KEY_WORDS.items(), key=lambda kv: -len(kv[0])):
        if line == prefix or line.startswith(prefix + " "):
            return " ".join(line.split()[:words])
    return line


def _apply_ios(text: str, lines: list[str]) -> str:
    root = _parse(text)
    context = root
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("!"):
            continue
        if line in ("end", "exit"):
            context = root
            continue
        if line.startswith("no "):
            target = line[3:].strip()
            # `no interface X` at the top removes the section; elsewhere the setting
            scope = root if SECTION.match(target) else context
            scope.children = [c for c in scope.children if c.line != target and _key(c.line) != _key(target)]
            if SECTION.match(target):
                context = root
            continue
        if SECTION.match(line) and (context is root or not raw.startswith(" ")):
            existing = next((c for c in root.children if c.line == line), None)
            if existing is None:
                existing = Node(line)
                root.children.append(existing)
            context = existing
            continue
        siblings = context.children
        key = _key(line)
        for i, child in enumerate(siblings):
            if child.line == line:
                break
            if key != line and _key(child.line) == key:
                siblings[i] = Node(line, child.children)
                break
        else:
            siblings.append(Node(line))
    return "\n".join(_render(root)) + "\n"


def _apply_junos(text: str, lines: list[str]) -> str:
    current = [line for line in text.splitlines() if line.strip()]
    for raw in lines:
        line = raw.strip()
        if line.startswith("set ") and line not in current:
            current.append(line)
        elif line.startswith("delete "):
            prefix = "set " + line[len("delete "):]
            current = [c for c in current if c != prefix and not c.startswith(prefix + " ")]
    return "\n".join(current) + "\n"


def predict(text: str, lines: list[str], platform: str) -> str:
    """The configuration `text` would become after `lines` (an approximation, see the module doc)."""
    if platform == "juniper_junos":
        return _apply_junos(text, lines)
    return _apply_ios(text, lines)


def comparable(text: str, platform: str) -> str:
    """The same text passed through the parser, so a prediction diffs only where lines changed."""
    return predict(text, [], platform)
