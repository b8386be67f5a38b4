"""netmiko's and paramiko's exceptions become ZAS's own at the edge, with no secret in the message.

A unit test: the netmiko connection is faked at `services/ssh.py`, the one seam that allows it.
"""
import socket

import paramiko
import pytest
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout

from zas.crypto import Secret
from zas.errors import (
    CommandRejected, ConnectionRefused, DeviceAuthFailed, DeviceDisconnected, DeviceTimeout, DeviceUnreachable,
    HostKeyMismatch, PromptNotRecognised,
)
from zas.services import ssh

TARGET = ssh.SshTarget(device_id=1, name="r1", host="127.0.0.1", port=1, platform="cisco_ios", username="admin",
                       password=Secret("Pa55-word!"), secret=Secret("En-able!"))


def session():
    return ssh.Session(TARGET, ssh.SshSettings(conn_timeout=1))


@pytest.mark.parametrize("exc,expected", [
    (NetmikoAuthenticationException("Authentication to device failed. password Pa55-word!"), DeviceAuthFailed),
    (NetmikoTimeoutException("TCP connection to device failed."), DeviceUnreachable),
    (NetmikoTimeoutException("Timed-out reading channel"), DeviceTimeout),
    (ReadTimeout("Pattern not detected: 'r1#' in output."), DeviceTimeout),
    (paramiko.BadHostKeyException("127.0.0.1", paramiko.RSAKey.generate(1024), paramiko.RSAKey.generate(1024)),
     HostKeyMismatch),
    (paramiko.SSHException("Server '[127.0.0.1]:1' not found in known_hosts"), HostKeyMismatch),
    (NetmikoTimeoutException("A paramiko SSHException occurred during connection creation:\n\nHost key for "
                             "server '127.0.0.1' does not match: got 'AAAA', expected 'BBBB'"), HostKeyMismatch),
    (ValueError("Unable to find prompt: Pa55-word!"), PromptNotRecognised),
    (EOFError(), DeviceDisconnected),
    (OSError("Socket is closed"), DeviceDisconnected),
])
def test_library_errors_are_classified_without_secrets(exc, expected):
    translated = session()._translate(exc)
    assert isinstance(translated, expected)
    assert "Pa55-word!" not in str(translated) and "En-able!" not in str(translated)


def test_refused_port_fails_fast_as_connection_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: the kernel answers with a reset
        with pytest.raises(ConnectionRefused):
            ssh.connect_tcp("127.0.0.1", port, timeout=1)


def test_silent_port_is_unreachable():
    # a listener whose accept queue is full drops further SYNs: a timeout without leaving loopback
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    try:
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        with pytest.raises(DeviceUnreachable):
            ssh.connect_tcp("127.0.0.1", port, timeout=0.3)
    finally:
        for filler in fillers:
            filler.close()
        server.close()


class FakeConnection:
    """Stands in for a netmiko connection: echoes canned output per command."""

    def __init__(self, outputs):
        self.outputs = outputs
        self.sent = []

    def send_command(self, command, **kwargs):
        self.sent.append(command)
        return self.outputs[command]


def test_rejected_command_names_the_command_and_output_is_scrubbed():
    s = session()
    s._conn = FakeConnection({"show run": "hostname r1\nusername admin password Pa55-word!\n",
                              "show bogus": "show bogus\n     ^\n% Invalid input detected at '^' marker.\n"})
    assert "Pa55-word!" not in s.run("show run")
    with pytest.raises(CommandRejected) as info:
        s.run("show bogus")
    assert info.value.line == "show bogus"


def test_the_session_runs_over_its_one_tcp_connection(monkeypatch):
    """netmiko gets the socket ZAS opened: the device sees one connection per session, not a probe
    and then the session (an aborted probe is an sshd log line per device per backup)."""
    import netmiko

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    handed = []

    def connect_handler(**params):
        handed.append(params["sock"])
        raise NetmikoTimeoutException("Timed-out reading channel")  # stop right there

    monkeypatch.setattr(netmiko, "ConnectHandler", connect_handler)
    target = ssh.SshTarget(device_id=1, name="r1", host="127.0.0.1", port=server.getsockname()[1],
                           platform="cisco_ios", username="admin", password=Secret("x"))
    try:
        with pytest.raises(DeviceTimeout):
            with ssh.Session(target, ssh.SshSettings(conn_timeout=1)):
                pass
        server.settimeout(0.5)
        accepted = [server.accept()[0]]
        with pytest.raises(socket.timeout):
            accepted.append(server.accept()[0])  # no second connection
        assert len(handed) == 1 and handed[0].fileno() == -1  # closed after the failed login: no leak
    finally:
        for conn in accepted:
            conn.close()
        server.close()
