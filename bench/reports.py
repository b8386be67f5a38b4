"""Reports over a large fleet: each report's CSV, and the PDF of its first 1,000 rows, against a
bare baseline (one raw SQL query + csv.writer) in the same run; the CSV pass's traced peak memory
shows rows are streamed, not held.

    .venv/bin/python -m bench.reports [--devices 10000] [--interfaces-per-device 20] [--keep]

Needs the MariaDB of the test setup (ZAS_TEST_MARIADB_URL, default mysql+pymysql://root@127.0.0.1:3306);
builds a throw-away database `zas_bench_reports_<pid>` and drops it (unless --keep).
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import random
import tempfile
import time
import tracemalloc
from datetime import timedelta

import pymysql
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

TEST_KEY = "hZBFIZvsS0F8p4N8YHD3kZ2OaaiQL5O1r1yWfa3mH8Q="
CONFIG = "hostname {name}\n" + "".join(f"interface Gi0/{i}\n description port {i}\n switchport access vlan 10\n!\n"
                                       for i in range(40))

BASELINE_SQL = {
    "inventory": """SELECT d.name, o.name, s.name, d.host, d.platform, d.vendor, d.model, d.serial,
        d.software_version, d.status, d.last_backup_at, d.last_backup_status
        FROM devices d JOIN organizations o ON o.id = d.organization_id LEFT JOIN sites s ON s.id = d.site_id
        ORDER BY d.name, d.id""",
    "uptime": """SELECT d.name, d.uptime_seconds, SUM(t.reachable * t.samples), SUM(t.samples)
        FROM devices d LEFT JOIN device_telemetry t ON t.device_id = d.id AND t.resolution = 'raw'
        AND t.ts >= :since GROUP BY d.id, d.name, d.uptime_seconds ORDER BY d.name""",
    "config-drift": """SELECT d.name, d.drift_status, d.drift_since, d.last_backup_status FROM devices d
        WHERE d.drift_status = 'drifted' OR d.latest_config_id IS NULL OR d.last_backup_status = 'failed'
        ORDER BY d.name""",
    "software-versions": """SELECT platform, model, software_version, COUNT(*) FROM devices
        GROUP BY platform, model, software_version""",
    "interface-utilization": """SELECT interface_id, AVG(in_bps), AVG(out_bps), MAX(in_bps), MAX(out_bps)
        FROM interface_telemetry WHERE resolution = 'raw' AND ts >= :since GROUP BY interface_id
        ORDER BY MAX(in_bps) DESC LIMIT 50""",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--interfaces-per-device", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--only", help="one report name")
    args = parser.parse_args()

    server = make_url(os.environ.get("ZAS_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306"))
    name = f"zas_bench_reports_{os.getpid()}"
    conn = pymysql.connect(host=server.host or "127.0.0.1", port=server.port or 3306,
                           user=server.username or "root", password=server.password or "", autocommit=True)
    conn.cursor().execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    try:
        run(server.set(database=name).render_as_string(hide_password=False), args)
    finally:
        if not args.keep:
            conn.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
        conn.close()


def run(url: str, args) -> None:
    from flask_migrate import upgrade

    from zas import create_app
    from zas.extensions import db

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": tempfile.mkdtemp(), "SECRET_KEY": "bench",
                      "CREDENTIALS_KEY": TEST_KEY, "DEMO": False, "REDIS_URL": None})
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        counts = populate(db, args.devices, args.interfaces_per_device)
        print(f"data: {counts} in {time.perf_counter() - started:.1f} s")
        measure(db, args.only)


def populate(db, n_devices: int, per_device: int) -> dict:
    from zas.models import (ConfigVersion, Device, DeviceEvent, DeviceTelemetry, Interface, InterfaceTelemetry,
                            Organization, Site, SoftwareTarget)
    from zas.models.types import utcnow
    from zas.services import configtext

    rnd = random.Random(7)
    now = utcnow()
    session = db.session
    orgs = [Organization(name=f"org-{i}") for i in range(5)]
    session.add_all(orgs)
    session.flush()
    sites = [Site(organization_id=orgs[i % 5].id, name=f"site-{i}") for i in range(50)]
    session.add_all(sites)
    session.flush()
    models = [("cisco_ios", "C9300", ["17.6.1", "17.9.4", "17.12.2"]), ("arista_eos", "7050", ["4.28.0F", "4.30.1F"]),
              ("juniper_junos", "EX4300", ["21.4R3", "22.2R1"])]
    devices = []
    for i in range(n_devices):
        platform, model, versions = models[i % 3]
        site = sites[i % 50]
        devices.append({"organization_id": site.organization_id, "site_id": site.id, "name": f"dev-{i:05d}",
                        "host": f"10.{i // 65536}.{i // 256 % 256}.{i % 256}", "port": 22, "platform": platform,
                        "snmp_port": 161, "vendor": platform.split("_")[0], "model": model,
                        "serial": f"SN{i:08d}", "software_version": rnd.choice(versions),
                        "uptime_seconds": rnd.randint(60, 400 * 86400), "status": "up" if i % 17 else "down",
                        "last_backup_at": now - timedelta(hours=3), "created_at": now, "updated_at": now,
                        "last_backup_status": "failed" if i % 97 == 0 else "succeeded",
                        "drift_status": "drifted" if i % 10 == 0 else "in_sync",
                        "drift_since": now - timedelta(days=2) if i % 10 == 0 else None})
    for start in range(0, len(devices), 5000):
        session.execute(insert(Device), devices[start:start + 5000])
    ids = [r[0] for r in session.execute(text("SELECT id FROM devices ORDER BY id"))]
    # configs: every device backed up but 1 in 50; drifted ones have a golden version that differs
    versions = []
    for n, device_id in enumerate(ids):
        if n % 50 == 49:
            continue
        body = CONFIG.format(name=f"dev-{n:05d}")
        versions.append({"device_id": device_id, "sha256": configtext.content_hash(body, "cisco_ios"), "text": body,
                         "size": len(body), "source": "backup", "created_at": now})
        if n % 10 == 0:
            golden = body.replace("vlan 10", "vlan 20", 3)
            versions.append({"device_id": device_id, "sha256": "g" * 64, "text": golden, "size": len(golden),
                             "source": "golden", "created_at": now - timedelta(days=5)})
    for start in range(0, len(versions), 2000):
        session.execute(insert(ConfigVersion), versions[start:start + 2000])
    session.execute(text("""UPDATE devices d SET latest_config_id =
        (SELECT MAX(id) FROM config_versions c WHERE c.device_id = d.id AND c.source = 'backup')"""))
    session.execute(text("""UPDATE devices d SET golden_config_id =
        (SELECT MAX(id) FROM config_versions c WHERE c.device_id = d.id AND c.source = 'golden')
        WHERE d.drift_status = 'drifted'"""))
    session.add(SoftwareTarget(organization_id=orgs[0].id, platform="cisco_ios", model="C9300", version="17.9.4"))
    telemetry, events = [], []
    for device_id in ids:
        for k in range(12):
            telemetry.append({"device_id": device_id, "resolution": "raw", "ts": now - timedelta(hours=k),
                              "reachable": rnd.random() > 0.02, "uptime_seconds": 86400, "samples": 1})
        if rnd.random() < 0.2:
            events.append({"device_id": device_id, "kind": "reboot", "at": now - timedelta(days=rnd.randint(0, 6))})
    for start in range(0, len(telemetry), 20000):
        session.execute(insert(DeviceTelemetry), telemetry[start:start + 20000])
    session.execute(insert(DeviceEvent), events)
    interfaces = [{"device_id": d, "name": f"Gi0/{k}", "speed": 1_000_000_000, "ip_addresses": [], "updated_at": now}
                  for d in ids for k in range(per_device)]
    for start in range(0, len(interfaces), 20000):
        session.execute(insert(Interface), interfaces[start:start + 20000])
    iface_ids = [r[0] for r in session.execute(text("SELECT id FROM interfaces"))]
    samples = 0
    batch = []
    for iface in iface_ids:
        level = rnd.random() * 1e9
        for k in range(4):
            batch.append({"interface_id": iface, "resolution": "raw", "ts": now - timedelta(hours=k * 6),
                          "in_bps": level * rnd.random(), "out_bps": level * rnd.random() / 2, "in_errors": 0,
                          "out_errors": rnd.randint(0, 2), "samples": 1})
        if len(batch) >= 40000:
            session.execute(insert(InterfaceTelemetry), batch)
            samples += len(batch)
            batch = []
    if batch:
        session.execute(insert(InterfaceTelemetry), batch)
        samples += len(batch)
    session.commit()
    return {"devices": len(ids), "interfaces": len(iface_ids), "config_versions": len(versions),
            "device_samples": len(telemetry), "interface_samples": samples}


def measure(db, only: str | None = None) -> None:
    from zas.services import authz, render, reports
    from zas.models.types import utcnow

    scope = authz.Scope(user_id=None, username="bench", global_admin=True)
    since = utcnow() - timedelta(days=7)
    print(f"{'report':24} {'rows':>7} {'baseline CSV':>13} {'ZAS CSV':>9} {'CSV peak MiB':>13} {'PDF 1k rows':>12}")
    for name in [only] if only else reports.REPORTS:
        t0 = time.perf_counter()
        out = io.StringIO()
        writer = csv.writer(out)
        for row in db.session.execute(text(BASELINE_SQL[name]), {"since": since}):
            writer.writerow(row)
        baseline = time.perf_counter() - t0
        db.session.rollback()

        t0 = time.perf_counter()
        size, lines = 0, 0
        for block in render.render(reports.build(name, {}, scope), "csv"):
            size += len(block)
            lines += block.count(b"\n")
        zas_csv = time.perf_counter() - t0
        db.session.rollback()

        tracemalloc.start()
        for _ in render.render(reports.build(name, {}, scope), "csv"):
            pass
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        db.session.rollback()

        t0 = time.perf_counter()
        pdf = render.render_bytes(reports.build(name, {}, scope), "pdf")
        pdf_s = time.perf_counter() - t0
        db.session.rollback()
        print(f"{name:24} {lines - 1:>7} {baseline:>12.2f}s {zas_csv:>8.2f}s {peak:>12.1f} {pdf_s:>11.2f}s"
              f"  ({size / 2**20:.1f} MiB CSV, {len(pdf) / 2**10:.0f} KiB PDF)")


if __name__ == "__main__":
    main()
