"""MAC vendor lookup from the small OUI table shipped in `zas/data/oui.csv` (no download)."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

HEX = re.compile(r"[0-9a-f]", re.I)


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """{"00000C": "Cisco", ...}, read once per process."""
    out = {}
    text = resources.files("zas").joinpath("data/oui.csv").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "," not in line:
            continue
        prefix, vendor = line.split(",", 1)
        prefix = prefix.strip().upper()
        if len(prefix) == 6:
            out[prefix] = vendor.strip()
    return out


def normalize_mac(value: str | None) -> str | None:
    """Any common MAC spelling (aa:bb:.., aa-bb-.., aabb.ccdd.eeff, aabbccddeeff) → "aa:bb:cc:dd:ee:ff"."""
    if not value:
        return None
    digits = "".join(HEX.findall(value))
    if len(digits) != 12 or len(re.sub(r"[0-9a-fA-F:.\-\s]", "", value)) > 0:
        return None
    digits = digits.lower()
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


def vendor_for(mac: str | None) -> str | None:
    """The vendor of a MAC's OUI, "locally administered" for random/virtual MACs, None if unknown."""
    mac = normalize_mac(mac)
    if mac is None:
        return None
    prefix = mac.replace(":", "")[:6].upper()
    vendor = table().get(prefix)
    if vendor:
        return vendor
    if int(prefix[:2], 16) & 0x02:
        return "locally administered"
    return None
