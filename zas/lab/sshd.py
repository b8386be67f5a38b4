"""The SSH side of a lab device: an asyncssh listener per device, its CLI and SCP into its flash."""
from __future__ import annotations

import asyncio
import os
from pathlib import Path

import asyncssh

from zas.lab.model import LabDevice
from zas.lab.shells import SHELLS, Terminal

DROP_AFTER = 400   # a `drop` fault cuts any answer longer than this, halfway


class FlashSFTP(asyncssh.SFTPServer):
    """SFTP/SCP rooted at the device's flash: `flash:/x`, `/mnt/flash/x` and `/var/tmp/x` all land there."""

    def __init__(self, chan, flash: Path):
        self._flash = flash
        super().__init__(chan)

    def map_path(self, path: bytes) -> bytes:
        text = path.decode("utf-8", "replace")
        for prefix in ("file:", "flash:", "bootflash:", "/mnt/flash", "/var/tmp"):
            if text.startswith(prefix):
                text = text[len(prefix):]
        name = os.path.basename(text.strip("/"))
        return os.fsencode(str(self._flash / name) if name else str(self._flash))


class SshTerminal(Terminal):
    """A line-oriented terminal over an asyncssh server process; echoes what it reads, as a device does."""

    def __init__(self, process: asyncssh.SSHServerProcess, dev: LabDevice):
        self.process = process
        self.dev = dev
        self.buf = ""
        self.skip_lf = False
        self.closed = False

    def write(self, text: str) -> None:
        if self.closed:
            return
        try:
            self.process.stdout.write(text.replace("\r\n", "\n").replace("\n", "\r\n"))
        except (OSError, asyncssh.Error, BrokenPipeError):
            self.closed = True

    async def readline(self, echo: bool = True) -> str | None:
        while True:
            for i, ch in enumerate(self.buf):
                if self.skip_lf and i == 0 and ch == "\n":
                    continue
                if ch in "\r\n":
                    start = 1 if (self.skip_lf and self.buf[:1] == "\n") else 0
                    line = self.buf[start:i]
                    self.skip_lf = ch == "\r"
                    self.buf = self.buf[i + 1:]
                    if echo:
                        self.write(line + "\n")
                    return line
            if self.buf == "\n" and self.skip_lf:
                self.buf = ""
            try:
                data = await self.process.stdin.read(4096)
            except (asyncssh.Error, OSError, asyncssh.BreakReceived, asyncssh.TerminalSizeChanged):
                data = "" if self.closed else None
                if data is None:
                    continue
            if not data:
                self.closed = True
                return None
            self.buf += data

    async def send(self, text: str) -> bool:
        faults = self.dev.faults
        if "slow" in faults:
            await asyncio.sleep(float(faults["slow"] or 0))
        if "drop" in faults and len(text) > DROP_AFTER:
            self.write(text[: len(text) // 2])
            await asyncio.sleep(0.05)
            self.close(abort=True)
            return False
        self.write(text)
        return not self.closed

    def close(self, abort: bool = False) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            if abort:
                self.process.channel.get_connection().abort()
            else:
                self.process.exit(0)
        except (OSError, asyncssh.Error):
            pass


class DeviceSSHServer(asyncssh.SSHServer):
    """Authentication for one device (the `auth` fault refuses every password)."""

    def __init__(self, dev: LabDevice, conns: set):
        self.dev = dev
        self.conns = conns
        self.conn = None

    def connection_made(self, conn) -> None:
        self.conn = conn
        self.conns.add(conn)

    def connection_lost(self, exc) -> None:
        self.conns.discard(self.conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        if "auth" in self.dev.faults:
            return False
        return username == self.dev.creds["username"] and password == self.dev.creds["password"]


class SshService:
    """Starts, stops and restarts the SSH listener of each device."""

    def __init__(self, lab):
        self.lab = lab
        self.servers: dict[str, asyncssh.SSHAcceptor] = {}
        self.conns: dict[str, set] = {}
        self.keys: dict[str, asyncssh.SSHKey] = {}

    def host_key(self, dev: LabDevice) -> asyncssh.SSHKey:
        if dev.name in self.keys:
            return self.keys[dev.name]
        path = self.lab.root / "hostkeys" / f"{dev.name}.key"
        if path.exists():
            key = asyncssh.import_private_key(path.read_bytes())
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            key = asyncssh.generate_private_key("ssh-ed25519")
            path.write_bytes(key.export_private_key())
            path.chmod(0o600)
        if "hostkey" in dev.faults:
            key = asyncssh.generate_private_key("ssh-ed25519")   # not the stable key it keeps on disk
        self.keys[dev.name] = key
        return key

    async def start(self, dev: LabDevice) -> None:
        if "refused" in dev.faults:
            return
        conns = self.conns.setdefault(dev.name, set())

        async def process(proc: asyncssh.SSHServerProcess) -> None:
            await self.session(dev, proc)

        self.servers[dev.name] = await asyncssh.create_server(
            lambda: DeviceSSHServer(dev, conns), "127.0.0.1", dev.port, server_host_keys=[self.host_key(dev)],
            process_factory=process, sftp_factory=lambda chan: FlashSFTP(chan, dev.flash), allow_scp=True,
            line_editor=False, encoding="utf-8", keepalive_interval=0, reuse_address=True,
            login_timeout=30,
        )

    async def stop(self, dev: LabDevice) -> None:
        server = self.servers.pop(dev.name, None)
        if server is not None:
            server.close()
        for conn in list(self.conns.get(dev.name, ())):
            conn.abort()

    async def session(self, dev: LabDevice, proc: asyncssh.SSHServerProcess) -> None:
        if proc.command:   # exec requests are not a network OS's way; answer like a restricted shell
            proc.stderr.write("% exec is not supported, use an interactive shell\r\n")
            proc.exit(1)
            return
        if "hang" in dev.faults:
            try:
                while await proc.stdin.read(4096):
                    pass
            except (asyncssh.Error, OSError):
                pass
            return
        term = SshTerminal(proc, dev)
        shell = SHELLS[dev.platform](dev, term, self.lab)
        try:
            await shell.run()
        except (asyncssh.Error, OSError, BrokenPipeError, ConnectionError):
            pass
        finally:
            term.close()
