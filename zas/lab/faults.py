"""Parse the lab's fault spec (syntax in the `zas.lab` docstring)."""
from __future__ import annotations

import re

FAULTS = {
    "auth": None, "slow": 2.0, "hang": None, "drop": None, "refused": None, "hostkey": None,
    "snmp-timeout": None, "snmp-community": None, "snmp-garbage": None,
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class FaultSpecError(ValueError):
    """A malformed fault spec."""


def parse_faults(spec: str | None) -> dict[str, dict[str, float | None]]:
    """`"a=auth,b=slow:2+snmp-timeout"` as `{"a": {"auth": None}, "b": {"slow": 2.0, "snmp-timeout": None}}`."""
    result: dict[str, dict[str, float | None]] = {}
    if not spec or not spec.strip():
        return result
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        name, sep, faults = item.partition("=")
        name = name.strip()
        if not sep or not _NAME.match(name) or not faults.strip():
            raise FaultSpecError(f"bad fault item {item!r}: expected DEVICE=FAULT[:ARG][+FAULT...]")
        for fault in faults.split("+"):
            kind, colon, arg = fault.strip().partition(":")
            if kind not in FAULTS:
                raise FaultSpecError(f"unknown fault {kind!r} for {name} (known: {', '.join(FAULTS)})")
            value = FAULTS[kind]
            if colon:
                if kind != "slow":
                    raise FaultSpecError(f"fault {kind!r} takes no argument ({item!r})")
                try:
                    value = float(arg)
                except ValueError:
                    raise FaultSpecError(f"fault slow needs a number of seconds, not {arg!r}") from None
                if value < 0:
                    raise FaultSpecError(f"fault slow needs a positive number of seconds, not {arg!r}")
            result.setdefault(name, {})[kind] = value
    return result


def format_faults(faults: dict[str, dict[str, float | None]]) -> str:
    """The spec that `parse_faults` reads back as `faults`."""
    items = []
    for name, kinds in faults.items():
        parts = [k if v is None or k != "slow" else f"{k}:{v:g}" for k, v in kinds.items()]
        items.append(f"{name}={'+'.join(parts)}")
    return ",".join(items)
