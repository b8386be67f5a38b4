"""Credential and SNMP profiles: the secrets ZAS uses to reach devices, encrypted at rest."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zas.crypto import Secret
from zas.extensions import db
from zas.models.organizations import Organization
from zas.models.types import EncryptedText, UtcDateTime, utcnow

SNMP_VERSIONS = ("2c", "3")
SNMP_AUTH_PROTOCOLS = ("MD5", "SHA", "SHA224", "SHA256", "SHA384", "SHA512")
SNMP_PRIV_PROTOCOLS = ("DES", "AES", "AES192", "AES256")


class CredentialProfile(db.Model):
    """SSH login for a set of devices: username with a password and/or private key, enable secret."""

    __tablename__ = "credential_profiles"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    username: Mapped[str] = mapped_column(String(128))
    password: Mapped[Secret | None] = mapped_column(EncryptedText)
    enable_secret: Mapped[Secret | None] = mapped_column(EncryptedText)
    private_key: Mapped[Secret | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()

    def __repr__(self) -> str:
        return f"<CredentialProfile {self.id} {self.name!r} user={self.username!r}>"


class SnmpProfile(db.Model):
    """SNMP access: a v2c community, or a v3 user with optional auth and privacy keys."""

    __tablename__ = "snmp_profiles"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    # lower first: the order profiles are tried in on a device's first contact
    priority: Mapped[int] = mapped_column(Integer, default=100)
    version: Mapped[str] = mapped_column(String(4), default="2c")
    community: Mapped[Secret | None] = mapped_column(EncryptedText)
    username: Mapped[str | None] = mapped_column(String(128))
    auth_protocol: Mapped[str | None] = mapped_column(String(8))
    auth_key: Mapped[Secret | None] = mapped_column(EncryptedText)
    priv_protocol: Mapped[str | None] = mapped_column(String(8))
    priv_key: Mapped[Secret | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()

    @property
    def security_level(self) -> str | None:
        """v3 level implied by which keys are set: noAuthNoPriv, authNoPriv or authPriv."""
        if self.version != "3":
            return None
        if self.auth_key and self.priv_key:
            return "authPriv"
        return "authNoPriv" if self.auth_key else "noAuthNoPriv"

    def __repr__(self) -> str:
        return f"<SnmpProfile {self.id} {self.name!r} v{self.version}>"
