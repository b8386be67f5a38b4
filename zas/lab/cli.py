"""`zas lab up|down|status`: the simulated device lab (also `python -m zas.lab ...`)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from zas.lab import DEFAULT_BASE_PORT, DEFAULT_SNMP_BASE_PORT, PLATFORMS
from zas.lab.faults import FaultSpecError

FAULT_HELP = (
    "Per-device faults: DEVICE=FAULT[:ARG][+FAULT...], comma-separated. Faults: auth (password rejected), "
    "slow[:SECONDS] (every answer delayed, default 2), hang (silent after login), drop (connection cut "
    "halfway through long output), refused (SSH port closed), hostkey (a new SSH host key), snmp-timeout "
    "(SNMP never answers), snmp-community (SNMP wants another community), snmp-garbage (SNMP answers "
    "wrong types, leaves columns out, sends a negative uptime and speed 0). "
    'Example: "lab-ios-03=auth,lab-eos-02=refused,lab-junos-01=slow:2+snmp-timeout".'
)


def _root(instance: str | None) -> Path:
    from zas.lab.state import instance_dir, lab_dir

    if instance:
        return lab_dir(instance)
    ctx = click.get_current_context(silent=True)
    info = None
    if ctx is not None:
        from flask.cli import ScriptInfo

        info = ctx.find_object(ScriptInfo)
    if info is not None and info.create_app is not None:
        try:
            return Path(info.load_app().instance_path) / "lab"
        except Exception:  # a broken app setting must not stop the lab, which needs no app
            pass
    return instance_dir() / "lab"


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.group("lab")
@click.option("--instance", envvar="ZAS_INSTANCE_PATH", default=None, hidden=True,
              help="Instance directory (state goes to INSTANCE/lab).")
@click.pass_context
def lab_cli(ctx, instance):
    """The simulated device lab (SSH + SNMP on 127.0.0.1)."""
    ctx.meta["zas.lab.instance"] = instance


@lab_cli.command("up", help="Start the lab in the background (restarting it if it runs).\n\n" + FAULT_HELP)
@click.option("--devices", "count", type=int, default=6, show_default=True, help="How many devices.")
@click.option("--platforms", default=",".join(PLATFORMS), show_default=True,
              help="Comma-separated platforms, used in turn.")
@click.option("--base-port", type=int, default=DEFAULT_BASE_PORT, show_default=True,
              help="SSH port of the first device (the next ones follow).")
@click.option("--snmp-base-port", type=int, default=DEFAULT_SNMP_BASE_PORT, show_default=True,
              help="SNMP UDP port of the first device.")
@click.option("--faults", default="", help="Fault spec, see above.")
@click.option("--reload-time", type=float, default=5.0, show_default=True,
              help="Seconds a device stays unreachable after `reload`.")
@click.option("--register", is_flag=True, help='Create/refresh the "Demo" organization and its devices in ZAS.')
@click.pass_context
def up_cmd(ctx, count, platforms, base_port, snmp_base_port, faults, reload_time, register):
    from zas.lab import control
    from zas.lab.state import LabError

    root = _root(ctx.meta.get("zas.lab.instance"))
    try:
        devices = control.up(root, count, platforms, base_port, snmp_base_port, faults, reload_time)
    except (LabError, FaultSpecError) as exc:
        _fail(str(exc))
    first, last = devices[0], devices[-1]
    click.echo(f"Lab up: {len(devices)} devices on 127.0.0.1, SSH ports {first['port']}-{last['port']}, "
               f"SNMP ports {first['snmp_port']}-{last['snmp_port']}/udp (state in {root})")
    click.echo(f"Login {first['username']} / {first['password']}, enable secret {first['secret']}, "
               f"community {first['community']}")
    if register:
        from zas.lab.register import register_demo

        try:
            org, n = register_demo(devices)
        except Exception as exc:  # the lab is up either way; say why registering failed in one line
            _fail(f"the lab is up but registering it failed: {exc}")
        click.echo(f'Registered {n} devices in organization "{org}"')


@lab_cli.command("down")
@click.pass_context
def down_cmd(ctx):
    """Stop the lab (its state stays for the next `up`)."""
    from zas.lab import control

    root = _root(ctx.meta.get("zas.lab.instance"))
    click.echo("Lab stopped" if control.down(root) else "Lab is not running")


@lab_cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Devices as a JSON array.")
@click.pass_context
def status_cmd(ctx, as_json):
    """Whether the lab runs, and its devices with their ports and credentials."""
    from zas.lab import control

    root = _root(ctx.meta.get("zas.lab.instance"))
    st = control.status(root)
    if as_json:
        click.echo(json.dumps(st["devices"] if st["running"] else [], indent=1))
        return
    if not st["running"]:
        click.echo("Lab is not running")
        return
    click.echo(f"Lab running (pid {st['pid']}), {len(st['devices'])} devices, state in {st['root']}")
    for d in st["devices"]:
        faults = ",".join(d["faults"]) if d["faults"] else ""
        click.echo(f"  {d['name']:<14} {d['platform']:<14} {d['host']}:{d['port']:<6} snmp {d['snmp_port']:<6} {faults}")


@lab_cli.command("serve", hidden=True)
@click.option("--root", required=True, type=click.Path(file_okay=False))
def serve_cmd(root):
    """Run the lab server in the foreground (what `up` starts)."""
    from zas.lab.server import main as serve_main

    sys.exit(serve_main(Path(root)))


def main(argv=None) -> int:
    """`python -m zas.lab`."""
    try:
        lab_cli.main(args=argv, prog_name="python -m zas.lab", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0
