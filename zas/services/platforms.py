"""Which device platforms ZAS accepts: netmiko `device_type` names, read from netmiko itself."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def supported_platforms() -> frozenset[str]:
    """Every netmiko SSH `device_type` (telnet and serial variants are not for ZAS)."""
    from zas.services.ssh import netmiko_device_types

    return frozenset(p for p in netmiko_device_types() if not p.endswith(("_telnet", "_serial")))
