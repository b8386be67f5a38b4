"""SSH to devices through netmiko. The only module that imports netmiko."""
from __future__ import annotations


def netmiko_device_types() -> list[str]:
    """Every `device_type` netmiko knows."""
    from netmiko.ssh_dispatcher import CLASS_MAPPER

    return sorted(CLASS_MAPPER)
