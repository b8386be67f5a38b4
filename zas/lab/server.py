"""The lab's one server process: every device's SSH listener and SNMP agent on one asyncio loop."""
from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import time
from pathlib import Path

from zas.lab.model import LabDevice
from zas.lab.snmp import SnmpService
from zas.lab.sshd import SshService
from zas.lab.state import LabError, load_credentials, read_config

log = logging.getLogger("zas.lab")


class LabServer:
    """Owns the devices; `reload()` takes one down for `reload_delay` seconds and boots it on a new image."""

    def __init__(self, root: Path):
        self.root = root
        cfg = read_config(root)
        creds = load_credentials(root)
        self.reload_delay = float(cfg.get("reload_delay", 5))
        self.devices = [LabDevice(spec, creds, root) for spec in cfg["devices"]]
        self.ssh = SshService(self)
        self.snmp = SnmpService(self)
        self.tasks: set[asyncio.Task] = set()

    async def start(self) -> None:
        for dev in self.devices:
            try:
                await self.ssh.start(dev)
            except OSError as exc:
                raise LabError(f"SSH port {dev.port} for {dev.name} is not available: {exc.strerror or exc}") from None
            try:
                await self.snmp.start(dev)
            except OSError as exc:
                raise LabError(
                    f"SNMP port {dev.snmp_port}/udp for {dev.name} is not available: {exc.strerror or exc}"
                ) from None

    def reload(self, dev: LabDevice, image: str) -> None:
        """Reboot `dev` into `image`: unreachable (SSH refused, SNMP silent) for reload_delay seconds."""
        now = time.time()
        dev.down_until = now + self.reload_delay
        dev.state["image"] = image
        dev.state["boot"] = image
        dev.state["boot_time"] = dev.down_until
        dev.state["running"] = list(dev.state["startup"])
        dev.generation += 1
        dev.save()
        log.info("%s reloading into %s", dev.name, image)
        task = asyncio.get_running_loop().create_task(self._reboot(dev))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _reboot(self, dev: LabDevice) -> None:
        await asyncio.sleep(0.1)          # let the session that asked for it say goodbye
        await self.ssh.stop(dev)
        await asyncio.sleep(max(0.0, dev.down_until - time.time()))
        try:
            await self.ssh.start(dev)
        except OSError as exc:
            log.error("%s could not come back: %s", dev.name, exc)

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await self.start()
        (self.root / "server.json").write_text(json.dumps({"pid": os.getpid(), "devices": len(self.devices)}))
        log.info("lab serving %d devices", len(self.devices))
        await stop.wait()
        for dev in self.devices:
            await self.ssh.stop(dev)
        self.snmp.close()
        log.info("lab stopped")
        logging.shutdown()
        # state is saved on every change; skip asyncio's slow teardown of hundreds of listeners
        os._exit(0)


def main(root: Path) -> int:
    """Run the lab in the foreground until SIGTERM; 1 with one line on stderr if it cannot start."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    try:
        server = LabServer(root)
        asyncio.run(server.serve())
    except LabError as exc:
        (root / "server.err").write_text(str(exc))
        print(f"Error: {exc}", flush=True)
        return 1
    return 0
