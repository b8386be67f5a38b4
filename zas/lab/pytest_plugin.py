"""pytest fixtures: a device lab for the test session (`-p zas.lab.pytest_plugin` or `pytest_plugins`).

`lab` (session scope) starts 13 devices in a temporary instance dir on free ports and stops them
at the end. Healthy: lab-ios-01/02, lab-eos-01/02, lab-junos-01/02. Faulty (see `FAULTS`):
lab-ios-03 auth, lab-eos-03 refused+snmp-timeout, lab-junos-03 hang+snmp-community,
lab-ios-04 drop, lab-eos-04 hostkey, lab-junos-04 slow:0.2, and the 13th, lab-ios-05,
snmp-garbage (added after the first twelve so their numbering, ports and data stay as they were).
A reload keeps a device down 3 s.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

FAULTS = ("lab-ios-03=auth,lab-eos-03=refused+snmp-timeout,lab-junos-03=hang+snmp-community,"
          "lab-ios-04=drop,lab-eos-04=hostkey,lab-junos-04=slow:0.2,lab-ios-05=snmp-garbage")
DEVICES = 13


class RunningLab:
    """A started lab: its devices (the `zas lab status --json` dicts) and connection helpers."""

    def __init__(self, root: Path, devices: list[dict], reload_delay: float):
        self.root = root
        self.devices = devices
        self.reload_delay = reload_delay

    def device(self, name: str) -> dict:
        for d in self.devices:
            if d["name"] == name:
                return d
        raise KeyError(name)

    def healthy(self, platform: str | None = None) -> list[dict]:
        return [d for d in self.devices if not d["faults"] and (platform is None or d["platform"] == platform)]

    def netmiko_params(self, name: str, **overrides) -> dict:
        """Keyword arguments for `netmiko.ConnectHandler` (no host-key checking unless overridden)."""
        d = self.device(name)
        params = dict(device_type=d["platform"], host=d["host"], port=d["port"], username=d["username"],
                      password=d["password"], secret=d["secret"], fast_cli=True, conn_timeout=5,
                      auth_timeout=5, banner_timeout=5, allow_agent=False, use_keys=False)
        params.update(overrides)
        return params

    def snmp_params(self, name: str, version: str = "2c", **overrides) -> dict:
        """Keyword arguments for `easysnmp.Session`."""
        d = self.device(name)
        params = dict(hostname=d["host"], remote_port=d["snmp_port"], timeout=1, retries=1, use_numeric=True)
        if version == "3":
            v3 = d["snmp_v3"]
            params.update(version=3, security_level="auth_with_privacy", security_username=v3["username"],
                          auth_protocol=v3["auth_protocol"], auth_password=v3["auth_key"],
                          privacy_protocol=v3["priv_protocol"], privacy_password=v3["priv_key"])
        else:
            params.update(version=2, community=d["community"])
        params.update(overrides)
        return params

    def host_key_line(self, name: str) -> str:
        """The device's stable public host key as a known_hosts line."""
        import asyncssh

        d = self.device(name)
        key = asyncssh.import_private_key((self.root / "hostkeys" / f"{name}.key").read_bytes())
        return f"[{d['host']}]:{d['port']} {key.export_public_key().decode().strip()}"


def start_lab(instance: Path, devices: int = DEVICES, faults: str = FAULTS, reload_delay: float = 3.0,
              platforms: str | None = None, attempts: int = 8) -> RunningLab:
    """Start a lab on free ports (tries a few random bases)."""
    from zas.lab import control
    from zas.lab.state import LabError

    root = instance / "lab"
    last: Exception | None = None
    for _ in range(attempts):
        base = random.randrange(30000, 58000, 100)
        try:
            found = control.up(root, devices, platforms, base, base + 2000 + 50, faults, reload_delay)
        except LabError as exc:
            if "port" not in str(exc):
                raise
            last = exc
            continue
        return RunningLab(root, found, reload_delay)
    raise RuntimeError(f"no free ports for the lab: {last}")


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A running lab of 13 devices (6 healthy, 7 with faults) for the whole session."""
    from zas.lab import control

    instance = tmp_path_factory.mktemp("lab-instance")
    running = start_lab(instance)
    try:
        yield running
    finally:
        control.down(running.root)
