"""One tree of ZAS errors: services raise these, the boundaries translate them to HTTP or job results."""


class ZasError(Exception):
    """Base of every error ZAS raises on purpose; its message is safe to show a user."""

    http_status = 500
    code = "error"


class ConfigError(ZasError):
    """A setting is missing or invalid; the message names the setting."""

    code = "config_error"


class ValidationError(ZasError):
    """Input that cannot be accepted; `field` names what was wrong."""

    http_status = 422
    code = "invalid"

    def __init__(self, message: str, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.field = field
        self.errors = errors or ({field: [message]} if field else {})


class NotFound(ZasError):
    """The object does not exist, or the caller may not see it (never tells which)."""

    http_status = 404
    code = "not_found"


class Conflict(ZasError):
    """The write would break a uniqueness rule or the current state."""

    http_status = 409
    code = "conflict"


class PermissionDenied(ZasError):
    """The caller can see the object but may not do this to it."""

    http_status = 403
    code = "forbidden"


class ServiceUnavailable(ZasError):
    """A backing service (Redis, the database) is down; nothing was written."""

    http_status = 503
    code = "unavailable"


class CryptoError(ZasError):
    """A stored secret cannot be decrypted with any configured key."""

    code = "crypto_error"


class DeviceError(ZasError):
    """Talking to a device failed; the class name is the classification stored in job results."""

    code = "device_error"

    @property
    def error_class(self) -> str:
        return type(self).__name__


class DeviceUnreachable(DeviceError):
    """No TCP answer from the device's SSH port (down, filtered, wrong address)."""


class ConnectionRefused(DeviceError):
    """The device answered the TCP connection with a reset: nothing listens on that port."""


class DeviceTimeout(DeviceError):
    """The session opened but the device stopped answering within the read timeout."""


class DeviceAuthFailed(DeviceError):
    """The device rejected the credential profile's username, password, key or enable secret."""


class HostKeyMismatch(DeviceError):
    """The device presented an SSH host key other than the one recorded; no credential was sent."""


class PromptNotRecognised(DeviceError):
    """Logged in, but the CLI prompt did not look like the platform's."""


class CommandRejected(DeviceError):
    """The device refused a command or configuration line; `line` names it."""

    def __init__(self, message: str, line: str | None = None, output: str | None = None):
        super().__init__(message)
        self.line = line
        self.output = output


class DeviceDisconnected(DeviceError):
    """The device closed the session in the middle of an exchange."""


class DeviceBusy(DeviceError):
    """Another job holds this device's session lock for too long."""


class WorkerLost(DeviceError):
    """The worker running this device stopped (killed, crashed) before finishing."""


class SnmpError(DeviceError):
    """An SNMP exchange with the device failed; the subclass says how."""


class SnmpTimeout(SnmpError):
    """No SNMP answer within the timeout and retries: the agent is down, filtered or the address is wrong."""


class SnmpAuthFailed(SnmpError):
    """The agent is alive but refused every SNMP profile tried (wrong community, v3 user or keys)."""


class SnmpNoSuchObject(SnmpError):
    """The agent answered but does not implement what was asked (noSuchObject / noSuchInstance)."""
