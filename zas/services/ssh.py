"""SSH to devices through netmiko. The only module that imports netmiko (and paramiko).

Library exceptions become ZAS's own (`DeviceUnreachable`, `DeviceAuthFailed`, ...) here, at
the edge. Nothing in this module touches the database: callers hand in an `SshTarget` (a plain
dataclass) and get text back, so no ORM object or DB connection is held during device I/O.
"""
from __future__ import annotations

import io
import logging
import os
import re
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from zas.crypto import Secret
from zas.errors import (
    CommandRejected, ConnectionRefused, DeviceAuthFailed, DeviceDisconnected, DeviceError, DeviceTimeout,
    DeviceUnreachable, HostKeyMismatch, PromptNotRecognised,
)

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

# how each platform shows its whole configuration (Junos as `set` lines: diffable and mergeable)
RUNNING_CONFIG_COMMAND = {
    "juniper_junos": "show configuration | display set",
}
DEFAULT_RUNNING_CONFIG_COMMAND = "show running-config"

# what a CLI prints when it refuses a line
REJECTED = {
    "juniper_junos": re.compile(r"^\s*(syntax error|unknown command|error:|invalid value|missing argument)", re.M | re.I),
}
DEFAULT_REJECTED = re.compile(
    r"^\s*% ?(Invalid input|Incomplete command|Ambiguous command|Unknown command|Invalid command|Error)", re.M | re.I
)


def netmiko_device_types() -> list[str]:
    """Every `device_type` netmiko knows."""
    from netmiko.ssh_dispatcher import CLASS_MAPPER

    return sorted(CLASS_MAPPER)


@dataclass(frozen=True)
class SshSettings:
    """Timeouts (seconds) and speed switches, from the app's settings."""

    conn_timeout: float = 10
    read_timeout: float = 60
    banner_timeout: float = 15
    auth_timeout: float = 15
    fast_cli: bool = True

    @classmethod
    def from_config(cls, config) -> "SshSettings":
        return cls(
            conn_timeout=float(config["SSH_CONN_TIMEOUT"]), read_timeout=float(config["SSH_READ_TIMEOUT"]),
            banner_timeout=float(config["SSH_BANNER_TIMEOUT"]), auth_timeout=float(config["SSH_AUTH_TIMEOUT"]),
            fast_cli=bool(config["SSH_FAST_CLI"]),
        )


@dataclass(frozen=True)
class SshTarget:
    """Everything needed to open a session, copied out of the database before any I/O."""

    device_id: int
    name: str
    host: str
    port: int
    platform: str
    username: str
    password: Secret | None = None
    secret: Secret | None = None
    private_key: Secret | None = None
    host_key: str | None = None  # "ssh-ed25519 AAAA..."; None: record whatever is offered

    def secrets(self) -> list[str]:
        """Clear values that must never reach an output, a log or an error message."""
        return [s.reveal() for s in (self.password, self.secret) if s]


@dataclass
class SessionInfo:
    """What a session learned about the device beyond command output."""

    host_key: str | None = None
    prompt: str | None = None
    timings: dict = field(default_factory=dict)


def connect_tcp(host: str, port: int, timeout: float) -> socket.socket:
    """The TCP connection the SSH session runs over, opened here so a dead or closed port fails
    fast with a clear class; netmiko is handed this socket, so the device sees one connection
    per session (a separate reachability probe would log an aborted SSH connection on every
    device at every backup).

    Raises ConnectionRefused or DeviceUnreachable.
    """
    try:
        return socket.create_connection((host, port), timeout=timeout)
    except ConnectionRefusedError:
        raise ConnectionRefused(f"{host}:{port} refused the connection (is SSH enabled on that port?)") from None
    except socket.timeout:
        raise DeviceUnreachable(f"{host}:{port} did not answer within {timeout:g}s") from None
    except OSError as exc:
        raise DeviceUnreachable(f"{host}:{port} is unreachable: {exc.strerror or exc}") from None


def load_private_key(text: str):
    """A paramiko key object from PEM/OpenSSH text (Ed25519, ECDSA or RSA)."""
    import paramiko

    for cls in (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey):
        try:
            return cls.from_private_key(io.StringIO(text))
        except (paramiko.SSHException, ValueError):
            continue
    raise DeviceAuthFailed("the credential profile's private key is not a readable Ed25519, ECDSA or RSA key")


class Session:
    """An open CLI session: `with Session(target, settings) as s: s.run("show version")`.

    Opening it probes the port, checks the pinned host key before any credential is sent, logs
    in and enters enable mode when the profile has an enable secret.
    """

    def __init__(self, target: SshTarget, settings: SshSettings, on_progress: Progress | None = None):
        self.target = target
        self.settings = settings
        self.info = SessionInfo()
        self._progress = on_progress or (lambda message: None)
        self._conn = None
        self._known_hosts: str | None = None

    # -- opening and closing -------------------------------------------------------------------
    def __enter__(self) -> "Session":
        started = time.monotonic()
        sock = connect_tcp(self.target.host, self.target.port, self.settings.conn_timeout)
        self._progress(f"connecting to {self.target.host}:{self.target.port}")
        try:
            self._conn = self._connect(sock)
        except Exception as exc:
            sock.close()
            self._cleanup_known_hosts()
            raise self._translate(exc) from None
        self.info.timings["connect"] = round(time.monotonic() - started, 3)
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.disconnect()
            except Exception:  # a dead transport cannot be closed politely; nothing to save
                pass
            self._conn = None
        self._cleanup_known_hosts()

    def _connect(self, sock: socket.socket):
        from netmiko import ConnectHandler

        t, s = self.target, self.settings
        params = dict(
            device_type=t.platform, host=t.host, port=t.port, username=t.username, sock=sock,
            password=t.password.reveal() if t.password else "",
            secret=t.secret.reveal() if t.secret else "",
            conn_timeout=s.conn_timeout, auth_timeout=s.auth_timeout, banner_timeout=s.banner_timeout,
            # netmiko's login checks wait a fixed 20 s for a prompt unless overridden; a device
            # that hangs after login should cost the read timeout, not more (reset after login)
            read_timeout_override=s.read_timeout, fast_cli=s.fast_cli, allow_agent=False, use_keys=False,
            session_log=None, verbose=False,
        )
        if t.private_key:
            params.update(pkey=load_private_key(t.private_key.reveal()), use_keys=True)
        if t.host_key:
            # paramiko checks the key during the handshake, before authentication
            self._known_hosts = self._write_known_hosts(t.host_key)
            params.update(ssh_strict=True, system_host_keys=False, alt_host_keys=True,
                          alt_key_file=self._known_hosts)
        conn = ConnectHandler(**params)
        conn.read_timeout_override = None
        _detect_eof(conn)
        key = conn.remote_conn.get_transport().get_remote_server_key()
        self.info.host_key = f"{key.get_name()} {key.get_base64()}"
        # enable() checks the mode itself: checking first would cost a second round trip
        if t.secret and t.platform != "juniper_junos":
            try:
                conn.enable()
            except Exception as exc:  # netmiko raises ValueError or ReadTimeout here
                conn.disconnect()
                raise DeviceAuthFailed("the device refused the enable secret") from exc
        self.info.prompt = conn.base_prompt
        return conn

    def _write_known_hosts(self, host_key: str) -> str:
        host = self.target.host if self.target.port == 22 else f"[{self.target.host}]:{self.target.port}"
        fd, path = tempfile.mkstemp(prefix="zas-known-hosts-")
        with os.fdopen(fd, "w") as fh:
            fh.write(f"{host} {host_key}\n")
        return path

    def _cleanup_known_hosts(self) -> None:
        if self._known_hosts:
            try:
                os.unlink(self._known_hosts)
            except FileNotFoundError:
                pass
            self._known_hosts = None

    # -- what a job does with the session --------------------------------------------------------
    def run(self, command: str, read_timeout: float | None = None, check: bool = True) -> str:
        """Send one command and return its output (secrets scrubbed). Raises CommandRejected if refused."""
        self._progress(f"> {command}")
        try:
            output = self._conn.send_command(
                command, read_timeout=read_timeout or self.settings.read_timeout, strip_prompt=True,
                strip_command=True,
            )
        except Exception as exc:
            raise self._translate(exc) from None
        output = self.scrub(output)
        if check and self.rejected(output):
            raise CommandRejected(f"the device rejected {command!r}: {self.rejected(output)}", line=command,
                                  output=output)
        return output

    def running_config(self) -> str:
        """The running configuration as text. Read-only on the device."""
        command = RUNNING_CONFIG_COMMAND.get(self.target.platform, DEFAULT_RUNNING_CONFIG_COMMAND)
        # large configurations take longer than a show command to print
        return self.run(command, read_timeout=max(self.settings.read_timeout, 120))

    def configure(self, lines: list[str]) -> str:
        """Apply configuration lines, stopping at the first one the device refuses.

        Changes the device. Junos lines are committed (a failed commit is rolled back by
        `exit configuration-mode` discarding the candidate). Raises CommandRejected naming the line.
        """
        pattern = REJECTED.get(self.target.platform, DEFAULT_REJECTED).pattern
        self._progress(f"configuring {len(lines)} lines")
        output = ""
        try:
            output = self._conn.send_config_set(
                lines, error_pattern=pattern, read_timeout=self.settings.read_timeout, cmd_verify=True,
                exit_config_mode=self.target.platform != "juniper_junos",
            )
            if self.target.platform == "juniper_junos":
                output += self._conn.commit(read_timeout=self.settings.read_timeout)
                output += self._conn.exit_config_mode()
        except Exception as exc:
            line = _rejected_line(str(exc))
            translated = self._translate(exc)
            self._leave_config_mode()
            if line is not None:
                raise CommandRejected(f"the device rejected the line {line!r}", line=line,
                                      output=self.scrub(output)) from None
            raise translated from None
        return self.scrub(output)

    def save(self) -> str:
        """Write the running configuration to startup (no-op where commit already saved it)."""
        if self.target.platform == "juniper_junos":
            return ""
        self._progress("saving configuration")
        try:
            return self.scrub(self._conn.save_config())
        except NotImplementedError:
            return ""
        except Exception as exc:
            raise self._translate(exc) from None

    def transfer(self, source: str, dest: str, file_system: str | None = None) -> dict:
        """Copy a local file to the device over SCP and verify its MD5 there. Idempotent (skips a match)."""
        from netmiko import file_transfer

        self._progress(f"transferring {os.path.basename(source)}")
        try:
            return file_transfer(self._conn, source_file=source, dest_file=dest, file_system=file_system,
                                 direction="put", overwrite_file=True)
        except Exception as exc:
            raise self._translate(exc) from None

    # -- helpers ----------------------------------------------------------------------------------
    def rejected(self, output: str) -> str | None:
        match = REJECTED.get(self.target.platform, DEFAULT_REJECTED).search(output or "")
        return match.group(0).strip() if match else None

    def scrub(self, text: str) -> str:
        """Remove the session's own credentials from device output (some CLIs echo them)."""
        for value in self.target.secrets():
            if value and len(value) >= 4:
                text = text.replace(value, "********")
        return text

    def _leave_config_mode(self) -> None:
        try:
            if self.target.platform == "juniper_junos":
                self._conn.send_command_timing("rollback 0", read_timeout=10)
            self._conn.exit_config_mode()
        except Exception:  # the session may already be gone; the caller reports the first error
            pass

    def _translate(self, exc: Exception) -> DeviceError:
        """A netmiko/paramiko/socket exception as a ZAS DeviceError, with no secret in its message."""
        import paramiko
        from netmiko.exceptions import (
            ConfigInvalidException, NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout,
        )

        if isinstance(exc, DeviceError):
            return exc
        where = f"{self.target.host}:{self.target.port}"
        text = self.scrub(str(exc))
        # netmiko re-raises paramiko's host key errors as a timeout: read the message
        if (isinstance(exc, paramiko.BadHostKeyException) or "not found in known_hosts" in text
                or ("Host key for server" in text and "does not match" in text)):
            return HostKeyMismatch(
                f"{where} presented a different SSH host key than the one recorded; no credentials were sent. "
                "If the device was replaced, accept its new key on the device page."
            )
        if isinstance(exc, NetmikoAuthenticationException) or isinstance(exc, paramiko.AuthenticationException):
            return DeviceAuthFailed(f"{where} rejected the login for user {self.target.username!r}")
        if isinstance(exc, ReadTimeout):
            return DeviceTimeout(f"{where} stopped answering (no prompt within the read timeout)")
        if isinstance(exc, NetmikoTimeoutException):
            if "TCP connection to device failed" in text:
                return DeviceUnreachable(f"{where} is unreachable")
            return DeviceTimeout(f"{where} timed out during login")
        if isinstance(exc, ConfigInvalidException):
            return CommandRejected(text, line=_rejected_line(text))
        if isinstance(exc, ValueError) and ("prompt" in text.lower() or "pattern" in text.lower()):
            return PromptNotRecognised(f"{where}: the CLI prompt was not recognised for {self.target.platform}")
        if isinstance(exc, (EOFError, ConnectionResetError, BrokenPipeError)) or "Socket is closed" in text:
            return DeviceDisconnected(f"{where} closed the session")
        if isinstance(exc, paramiko.SSHException):
            if "banner" in text.lower():
                return DeviceTimeout(f"{where} did not send an SSH banner in time")
            return DeviceDisconnected(f"{where}: SSH error: {text.splitlines()[0] if text else type(exc).__name__}")
        if isinstance(exc, socket.timeout):
            return DeviceTimeout(f"{where} timed out")
        if isinstance(exc, OSError):
            return DeviceDisconnected(f"{where}: {exc.strerror or text}")
        return DeviceError(f"{where}: {type(exc).__name__}: {text.splitlines()[0] if text else ''}")


def _detect_eof(conn) -> None:
    """Make a closed channel raise at once instead of netmiko polling it until the read timeout.

    netmiko only notices EOF when paramiko reports data ready, which a closed, empty channel never
    does; a device that drops the session mid-output would hold the job for the whole timeout.
    """
    channel = conn.remote_conn
    read = conn.channel.read_channel

    def read_channel() -> str:
        data = read()
        if not data and (channel.closed or channel.eof_received):
            raise EOFError("the device closed the session")
        return data

    conn.channel.read_channel = read_channel


def _rejected_line(message: str) -> str | None:
    match = re.search(r"Invalid input detected at command: (.*?), matched error", message)
    return match.group(1) if match else None
