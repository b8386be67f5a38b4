"""SQLAlchemy models, one module per domain; importing this registers them all with the metadata."""
from zas.models.audit import AuditEvent
from zas.models.credentials import CredentialProfile, SnmpProfile
from zas.models.devices import Device, DeviceTag, Endpoint, Interface
from zas.models.organizations import Organization, Site
from zas.models.users import ApiToken, Membership, User

__all__ = [
    "ApiToken", "AuditEvent", "CredentialProfile", "Device", "DeviceTag", "Endpoint", "Interface",
    "Membership", "Organization", "Site", "SnmpProfile", "User",
]
