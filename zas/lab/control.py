"""Start, stop and inspect the lab's server process (`zas lab up|down|status`)."""
from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from zas.lab import state
from zas.lab.faults import parse_faults
from zas.lab.state import LabError


def running_pid(root: Path) -> int | None:
    """The pid of this lab's server process, or None (a stale pid file is removed)."""
    path = root / "server.pid"
    if not path.exists():
        return None
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError):
        path.unlink(missing_ok=True)
        return None
    except PermissionError:
        return pid
    try:  # a recycled pid belonging to something else is not our lab
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        if b"zas.lab" not in cmdline:
            path.unlink(missing_ok=True)
            return None
    except OSError:
        pass
    return pid


def check_ports(specs: list[dict]) -> None:
    """Raise LabError naming the first SSH (TCP) or SNMP (UDP) port something else holds."""
    for spec in specs:
        for kind, port, proto in (("SSH", spec["port"], socket.SOCK_STREAM),
                                  ("SNMP", spec["snmp_port"], socket.SOCK_DGRAM)):
            s = socket.socket(socket.AF_INET, proto)
            try:
                if proto == socket.SOCK_STREAM:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", port))
            except OSError as exc:
                why = "in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
                suffix = "" if proto == socket.SOCK_STREAM else "/udp"
                raise LabError(f"port {port}{suffix} ({kind} for {spec['name']}) is {why}; "
                               f"choose another --{'base-port' if kind == 'SSH' else 'snmp-base-port'}") from None
            finally:
                s.close()


def up(root: Path, devices: int = 6, platforms: str | None = None, base_port: int | None = None,
       snmp_base_port: int | None = None, faults: str | None = None, reload_delay: float = 5.0,
       timeout: float = 120.0) -> list[dict]:
    """Start the lab server in the background (restarting a running one); returns the device list."""
    plats = state.parse_platforms(platforms)
    fault_map = parse_faults(faults)
    specs = state.plan_devices(devices, plats, base_port or state.DEFAULTS["base_port"],
                               snmp_base_port or state.DEFAULTS["snmp_base_port"], fault_map)
    root.mkdir(parents=True, exist_ok=True)
    down(root)
    check_ports(specs)
    state.load_credentials(root)
    state.write_config(root, specs, reload_delay)
    for name in ("server.json", "server.err"):
        (root / name).unlink(missing_ok=True)
    log = open(root / "server.log", "ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "zas.lab", "serve", "--root", str(root)],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    log.close()
    (root / "server.pid").write_text(str(proc.pid))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (root / "server.json").exists():
            return state.device_status(root)
        if proc.poll() is not None:
            (root / "server.pid").unlink(missing_ok=True)
            err = root / "server.err"
            msg = err.read_text().strip() if err.exists() else f"the lab server exited ({proc.returncode}); see {root / 'server.log'}"
            raise LabError(msg)
        time.sleep(0.05)
    down(root)
    raise LabError(f"the lab server did not become ready in {timeout:.0f}s; see {root / 'server.log'}")


def down(root: Path, timeout: float = 15.0) -> bool:
    """Stop the lab server; False when none was running (not an error)."""
    pid = running_pid(root)
    if pid is None:
        return False
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            done, _ = os.waitpid(pid, os.WNOHANG) if _is_child(pid) else (0, 0)
            if done == pid:
                break
        except (ProcessLookupError, ChildProcessError):
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
    (root / "server.pid").unlink(missing_ok=True)
    (root / "server.json").unlink(missing_ok=True)
    return True


def _is_child(pid: int) -> bool:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].split()[1]) == os.getpid()
    except (OSError, IndexError, ValueError):
        return False


def status(root: Path) -> dict:
    """`{"running": bool, "pid": int|None, "devices": [...]}`."""
    pid = running_pid(root)
    try:
        devices = state.device_status(root)
    except LabError:
        devices = []
    return {"running": pid is not None, "pid": pid, "root": str(root), "devices": devices}


def status_json(root: Path) -> str:
    return json.dumps(status(root)["devices"], indent=1)
