"""Configuration versions: every distinct running configuration a device has had."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zas.extensions import db
from zas.models.devices import Device
from zas.models.jobs import LongText
from zas.models.types import UtcDateTime, utcnow


class ConfigVersion(db.Model):
    """One stored configuration; a new row only when the normalized text's hash changed."""

    __tablename__ = "config_versions"
    __table_args__ = (Index("ix_config_versions_device", "device_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # of the text with per-platform volatile lines removed: timestamps do not make versions
    sha256: Mapped[str] = mapped_column(String(64))
    # deferred: lists and the "is it new?" check need the hash, not megabytes of text
    text: Mapped[str] = mapped_column(LongText, deferred=True)
    size: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(32), default="backup")
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_name: Mapped[str | None] = mapped_column(String(64))

    device: Mapped[Device] = relationship(foreign_keys=[device_id])

    def __repr__(self) -> str:
        return f"<ConfigVersion {self.id} dev={self.device_id} {self.sha256[:8]}>"
