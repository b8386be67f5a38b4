"""Organizations (the unit of access control) and their sites."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zas.extensions import db
from zas.models.types import UtcDateTime, utcnow


class Organization(db.Model):
    """A tenant: every device, profile and job belongs to exactly one."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    sites: Mapped[list["Site"]] = relationship(back_populates="organization", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.name!r}>"


class Site(db.Model):
    """A place devices live in (a campus, a data centre, a closet)."""

    __tablename__ = "sites"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    description: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="sites")

    def __repr__(self) -> str:
        return f"<Site {self.id} {self.name!r}>"
