"""SQLAlchemy models, one module per domain; importing this registers them all with the metadata."""
from zas.models.audit import AuditEvent
from zas.models.configs import ConfigVersion
from zas.models.credentials import CredentialProfile, SnmpProfile
from zas.models.devices import Device, DeviceTag, Endpoint, EndpointMove, Interface
from zas.models.jobs import AutomationJob, JobLog, JobResult, Schedule
from zas.models.organizations import Organization, Site
from zas.models.reports import SoftwareTarget, StoredReport
from zas.models.telemetry import DeviceEvent, DevicePollState, DeviceTelemetry, InterfaceTelemetry
from zas.models.users import ApiToken, Membership, User

__all__ = [
    "ApiToken", "AuditEvent", "AutomationJob", "ConfigVersion", "JobLog", "JobResult", "Schedule", "CredentialProfile", "Device", "DeviceTag", "Endpoint", "Interface",
    "Membership", "Organization", "Site", "SnmpProfile", "User", "EndpointMove", "SoftwareTarget", "StoredReport",
    "DeviceEvent", "DevicePollState", "DeviceTelemetry", "InterfaceTelemetry",
]
