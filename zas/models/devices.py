"""Devices, their interfaces and tags, and the end hosts seen behind them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zas.extensions import db
from zas.models.credentials import CredentialProfile, SnmpProfile
from zas.models.organizations import Organization, Site
from zas.models.types import UtcDateTime, utcnow

DEVICE_STATUSES = ("unknown", "up", "down", "unreachable")


class Device(db.Model):
    """A managed network device, reached over SSH (netmiko `device_type`) and SNMP."""

    __tablename__ = "devices"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        Index("ix_devices_org_platform", "organization_id", "platform"),
        Index("ix_devices_org_status", "organization_id", "status"),
        Index("ix_devices_org_version", "organization_id", "software_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str] = mapped_column(String(255), index=True)
    port: Mapped[int] = mapped_column(Integer, default=22)
    platform: Mapped[str] = mapped_column(String(64), index=True)
    credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("credential_profiles.id", ondelete="SET NULL"), index=True
    )
    snmp_profile_id: Mapped[int | None] = mapped_column(ForeignKey("snmp_profiles.id", ondelete="SET NULL"), index=True)
    snmp_port: Mapped[int] = mapped_column(Integer, default=161)

    # facts, filled by discovery
    hostname: Mapped[str | None] = mapped_column(String(255))
    vendor: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(128), index=True)
    serial: Mapped[str | None] = mapped_column(String(128), index=True)
    software_version: Mapped[str | None] = mapped_column(String(128), index=True)
    uptime_seconds: Mapped[int | None] = mapped_column(BigInteger)
    facts_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    status: Mapped[str] = mapped_column(String(16), default="unknown", index=True)
    last_backup_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_backup_status: Mapped[str | None] = mapped_column(String(16))
    last_poll_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_poll_status: Mapped[str | None] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(Text)
    # pinned on first SSH contact; a different key is refused until an operator accepts it
    ssh_host_key: Mapped[str | None] = mapped_column(Text)
    # drift: the running configuration against the golden version or the intended text
    golden_config_id: Mapped[int | None] = mapped_column(
        ForeignKey("config_versions.id", ondelete="SET NULL", use_alter=True)
    )
    intended_config: Mapped[str | None] = mapped_column(Text)
    drift_status: Mapped[str | None] = mapped_column(String(16), index=True)  # in_sync, drifted, no_baseline
    drift_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    latest_config_id: Mapped[int | None] = mapped_column(
        ForeignKey("config_versions.id", ondelete="SET NULL", use_alter=True)
    )

    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
    site: Mapped[Site | None] = relationship()
    credential: Mapped[CredentialProfile | None] = relationship()
    snmp_profile: Mapped[SnmpProfile | None] = relationship()
    tag_rows: Mapped[list["DeviceTag"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="DeviceTag.name"
    )
    interfaces: Mapped[list["Interface"]] = relationship(
        back_populates="device", cascade="all, delete-orphan", passive_deletes=True, order_by="Interface.name"
    )

    @property
    def tags(self) -> list[str]:
        return sorted(t.name for t in self.tag_rows)

    @tags.setter
    def tags(self, names) -> None:
        wanted = sorted({n.strip() for n in names or () if n and n.strip()})
        keep = [t for t in self.tag_rows if t.name in wanted]
        have = {t.name for t in keep}
        self.tag_rows = keep + [DeviceTag(name=n) for n in wanted if n not in have]

    def __repr__(self) -> str:
        return f"<Device {self.id} {self.name!r} {self.platform} {self.host}:{self.port}>"


class DeviceTag(db.Model):
    """A free-form label on a device; a table (not JSON) so lists filter on it by index."""

    __tablename__ = "device_tags"

    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class Interface(db.Model):
    """A port, sub-interface or logical interface of a device."""

    __tablename__ = "interfaces"
    __table_args__ = (
        UniqueConstraint("device_id", "name"),
        Index("ix_interfaces_device_ifindex", "device_id", "if_index"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(128))
    if_index: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(String(255))
    admin_status: Mapped[str | None] = mapped_column(String(16), index=True)
    oper_status: Mapped[str | None] = mapped_column(String(16), index=True)
    speed: Mapped[int | None] = mapped_column(BigInteger)  # bits per second
    mac: Mapped[str | None] = mapped_column(String(17), index=True)
    mtu: Mapped[int | None] = mapped_column(Integer)
    vlan: Mapped[int | None] = mapped_column(Integer, index=True)
    ip_addresses: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    device: Mapped[Device] = relationship(back_populates="interfaces")

    def __repr__(self) -> str:
        return f"<Interface {self.id} {self.name!r} dev={self.device_id}>"


class Endpoint(db.Model):
    """An end host seen on the network: where its MAC was learned, and its IP and name when known."""

    __tablename__ = "endpoints"
    __table_args__ = (Index("ix_endpoints_org_mac", "organization_id", "mac"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    mac: Mapped[str] = mapped_column(String(17), index=True)
    ip: Mapped[str | None] = mapped_column(String(45), index=True)
    # a host has an IPv4 and an IPv6 address at once: two columns, not one (compressed form)
    ipv6: Mapped[str | None] = mapped_column(String(45), index=True)
    hostname: Mapped[str | None] = mapped_column(String(255), index=True)
    vendor: Mapped[str | None] = mapped_column(String(128))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"), index=True)
    interface_id: Mapped[int | None] = mapped_column(ForeignKey("interfaces.id", ondelete="SET NULL"), index=True)
    vlan: Mapped[int | None] = mapped_column(Integer)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)

    # the same IP seen with several MACs, or the same MAC on several edge ports
    is_duplicate: Mapped[bool] = mapped_column(db.Boolean, default=False, server_default=sa_false())

    device: Mapped[Device | None] = relationship()
    interface: Mapped[Interface | None] = relationship()

    def __repr__(self) -> str:
        return f"<Endpoint {self.id} {self.mac} {self.ip}>"


class EndpointMove(db.Model):
    """An end host seen on a different port than before: the history of where it has been."""

    __tablename__ = "endpoint_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("endpoints.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    from_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    from_interface_id: Mapped[int | None] = mapped_column(ForeignKey("interfaces.id", ondelete="SET NULL"))
    to_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    to_interface_id: Mapped[int | None] = mapped_column(ForeignKey("interfaces.id", ondelete="SET NULL"))
