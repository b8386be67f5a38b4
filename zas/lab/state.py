"""Where the lab keeps its state (`<instance>/lab/`) and what `lab.json` holds."""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from zas.lab import DEFAULT_BASE_PORT, DEFAULT_SNMP_BASE_PORT, PLATFORM_PREFIX, PLATFORMS


class LabError(Exception):
    """A lab problem to report as one line (exit status 1)."""


def instance_dir() -> Path:
    """The Flask app's instance path inside an app context, else $ZAS_INSTANCE_PATH, else ./instance."""
    try:
        from flask import current_app

        return Path(current_app.instance_path)
    except (ImportError, RuntimeError):
        pass
    return Path(os.environ.get("ZAS_INSTANCE_PATH") or "instance").resolve()


def lab_dir(instance: str | os.PathLike | None = None) -> Path:
    return Path(instance).resolve() / "lab" if instance else instance_dir() / "lab"


def load_credentials(root: Path) -> dict:
    """The lab-wide login, enable secret, community and SNMPv3 user; generated on first use."""
    path = root / "credentials.json"
    if path.exists():
        return json.loads(path.read_text())
    root.mkdir(parents=True, exist_ok=True)
    creds = {
        "username": "admin",
        "password": "lab-" + secrets.token_urlsafe(9),
        "secret": "en-" + secrets.token_urlsafe(9),
        "community": "zaslab" + secrets.token_hex(4),
        "v3_user": "zaslab",
        "v3_auth_protocol": "SHA",
        "v3_auth_key": "auth-" + secrets.token_urlsafe(9),
        "v3_priv_protocol": "AES",
        "v3_priv_key": "priv-" + secrets.token_urlsafe(9),
    }
    path.write_text(json.dumps(creds, indent=1))
    path.chmod(0o600)
    return creds


def parse_platforms(text: str | None) -> list[str]:
    names = [p.strip() for p in (text or ",".join(PLATFORMS)).split(",") if p.strip()]
    bad = [p for p in names if p not in PLATFORMS]
    if bad or not names:
        raise LabError(f"unknown platform {', '.join(bad) or '(none)'!s}; the lab knows {', '.join(PLATFORMS)}")
    return names


def plan_devices(count: int, platforms: list[str], base_port: int, snmp_base_port: int,
                 faults: dict) -> list[dict]:
    """Device specs, platforms in turn: lab-ios-01, lab-eos-01, lab-junos-01, lab-ios-02, ..."""
    if count < 1:
        raise LabError("--devices must be at least 1")
    if base_port + count > 65536 or snmp_base_port + count > 65536 or min(base_port, snmp_base_port) < 1:
        raise LabError("ports out of range: lower --base-port / --snmp-base-port or --devices")
    per_platform: dict[str, int] = {}
    specs = []
    for i in range(count):
        platform = platforms[i % len(platforms)]
        per_platform[platform] = per_platform.get(platform, 0) + 1
        name = f"lab-{PLATFORM_PREFIX[platform]}-{per_platform[platform]:02d}"
        specs.append({"name": name, "platform": platform, "number": i + 1, "port": base_port + i,
                      "snmp_port": snmp_base_port + i, "faults": faults.get(name, {})})
    unknown = set(faults) - {s["name"] for s in specs}
    if unknown:
        raise LabError(f"--faults names devices the lab does not have: {', '.join(sorted(unknown))}")
    return specs


def write_config(root: Path, specs: list[dict], reload_delay: float) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "lab.json").write_text(json.dumps({"devices": specs, "reload_delay": reload_delay}, indent=1))


def read_config(root: Path) -> dict:
    path = root / "lab.json"
    if not path.exists():
        raise LabError(f"no lab configured in {root} (run `zas lab up`)")
    return json.loads(path.read_text())


def device_status(root: Path) -> list[dict]:
    """One dict per device with the keys `zas lab status --json` prints."""
    creds = load_credentials(root)
    out = []
    for spec in read_config(root)["devices"]:
        out.append({
            "name": spec["name"], "platform": spec["platform"], "host": "127.0.0.1", "port": spec["port"],
            "snmp_port": spec["snmp_port"], "username": creds["username"], "password": creds["password"],
            "secret": creds["secret"], "community": creds["community"],
            "snmp_v3": {"username": creds["v3_user"], "auth_protocol": creds["v3_auth_protocol"],
                        "auth_key": creds["v3_auth_key"], "priv_protocol": creds["v3_priv_protocol"],
                        "priv_key": creds["v3_priv_key"]},
            "faults": spec.get("faults") or {},
        })
    return out


DEFAULTS = {"base_port": DEFAULT_BASE_PORT, "snmp_base_port": DEFAULT_SNMP_BASE_PORT}
