"""Report artefacts: rendered files kept for download, and admin-set target software versions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column

from zas.extensions import db
from zas.models.types import UtcDateTime, utcnow

LongBlob = LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")


class StoredReport(db.Model):
    """A report rendered to a file (by a schedule or on request), listed for download."""

    __tablename__ = "stored_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"),
                                                        index=True)
    report: Mapped[str] = mapped_column(String(32))
    format: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str] = mapped_column(String(255))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LongBlob)
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedules.id", ondelete="SET NULL"))
    created_by_name: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class SoftwareTarget(db.Model):
    """The version an admin wants a model to run (the software-versions report's recommendation)."""

    __tablename__ = "software_targets"
    __table_args__ = (UniqueConstraint("organization_id", "platform", "model"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(128))
    version: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
