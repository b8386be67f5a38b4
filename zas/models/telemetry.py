"""SNMP telemetry history: device and interface samples (raw and rolled up), the counters the
next poll computes rates against (per device), and device events such as reboots."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from zas.extensions import db
from zas.models.types import UtcDateTime, utcnow

# raw samples, then hourly and daily roll-ups, in the same tables
RESOLUTIONS = ("raw", "hour", "day")
BigId = BigInteger().with_variant(Integer, "sqlite")  # SQLite autoincrements INTEGER PRIMARY KEY only


class DeviceTelemetry(db.Model):
    """One sample (or roll-up) of a device's health."""

    __tablename__ = "device_telemetry"
    __table_args__ = (Index("ix_device_telemetry_lookup", "device_id", "resolution", "ts"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    resolution: Mapped[str] = mapped_column(String(4), default="raw")
    ts: Mapped[datetime] = mapped_column(UtcDateTime)
    uptime_seconds: Mapped[int | None] = mapped_column(BigInteger)
    cpu_percent: Mapped[float | None] = mapped_column(Float)
    mem_used: Mapped[int | None] = mapped_column(BigInteger)  # bytes
    mem_total: Mapped[int | None] = mapped_column(BigInteger)
    reachable: Mapped[bool | None] = mapped_column(db.Boolean)
    samples: Mapped[int] = mapped_column(Integer, default=1)


class InterfaceTelemetry(db.Model):
    """One interval of an interface's traffic: rates in bits per second, error and discard counts."""

    __tablename__ = "interface_telemetry"
    __table_args__ = (Index("ix_interface_telemetry_lookup", "interface_id", "resolution", "ts"),
                      # covering: a period's rates and errors are aggregated from the index alone
                      Index("ix_interface_telemetry_ts", "resolution", "ts", "interface_id", "in_bps", "out_bps",
                            "in_errors", "out_errors"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    interface_id: Mapped[int] = mapped_column(ForeignKey("interfaces.id", ondelete="CASCADE"))
    resolution: Mapped[str] = mapped_column(String(4), default="raw")
    ts: Mapped[datetime] = mapped_column(UtcDateTime)
    in_bps: Mapped[float | None] = mapped_column(Float)
    out_bps: Mapped[float | None] = mapped_column(Float)
    in_bps_max: Mapped[float | None] = mapped_column(Float)
    out_bps_max: Mapped[float | None] = mapped_column(Float)
    in_errors: Mapped[int | None] = mapped_column(BigInteger)
    out_errors: Mapped[int | None] = mapped_column(BigInteger)
    in_discards: Mapped[int | None] = mapped_column(BigInteger)
    out_discards: Mapped[int | None] = mapped_column(BigInteger)
    oper_status: Mapped[str | None] = mapped_column(String(16))
    samples: Mapped[int] = mapped_column(Integer, default=1)


class DevicePollState(db.Model):
    """A device's last poll: when it ran, its sysUpTime and every interface's raw counters, the other
    end of the next poll's deltas. One row per device, the counters packed as JSON rows
    `[interface_id, bits, in_octets, out_octets, in_errors, out_errors, in_discards, out_discards]`:
    a poll reads and writes one row, not one per interface (at 48 ports, that was a third of the
    poll's database cost)."""

    __tablename__ = "device_poll_state"

    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True)
    ts: Mapped[datetime] = mapped_column(UtcDateTime)  # also the ts of the device's latest raw samples
    sys_uptime: Mapped[int | None] = mapped_column(BigInteger)  # hundredths of a second
    counters: Mapped[list] = mapped_column(JSON, default=list)


class DeviceEvent(db.Model):
    """Something that happened to a device: a reboot, going down, coming back."""

    __tablename__ = "device_events"
    __table_args__ = (Index("ix_device_events_device_at", "device_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)  # reboot, down, up, agent_garbage
    detail: Mapped[dict | None] = mapped_column(JSON)
