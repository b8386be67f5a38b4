"""Web UI server-side render time with a large fleet: the device list (page, search, filter, sort,
deep page) and each device tab, as full page and as htmx fragment, against a bare baseline in the
same run (one raw SQL query for 50 devices + a plain Jinja table of the same rows).

    .venv/bin/python -m bench.ui [--devices 10000] [--repeat 30] [--keep]

Needs the MariaDB of the test setup (ZAS_TEST_MARIADB_URL, default mysql+pymysql://root@127.0.0.1:3306);
builds a throw-away database `zas_bench_ui_<pid>` and drops it (unless --keep). Times are medians
(and 95th percentiles) of in-process requests through the Flask test client: routing, login
session, authz, queries and templates, no network.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

import pymysql
from jinja2 import Template
from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url

TEST_KEY = "hZBFIZvsS0F8p4N8YHD3kZ2OaaiQL5O1r1yWfa3mH8Q="
PASSWORD = "bench password 123"
CONFIG = "hostname {name}\n" + "".join(f"interface Gi0/{i}\n description port {i}\n switchport access vlan {v}\n!\n"
                                       for i in range(48) for v in (10,))
BARE = Template("<table>{% for r in rows %}<tr><td><a href='/devices/{{ r[0] }}'>{{ r[1] }}</a></td><td>{{ r[2] }}"
                "</td><td>{{ r[3] }}</td><td>{{ r[4] }}</td><td>{{ r[5] }}</td></tr>{% endfor %}</table>")


def timed(fn, repeat: int) -> tuple[float, float]:
    """(median, p95) in milliseconds of `repeat` calls after two warm-ups."""
    for _ in range(2):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def populate(app, devices: int) -> int:
    """An organization with `devices` devices over 20 sites; device #1 gets 48 interfaces, 2 config
    versions and 30 job results. Returns device #1's id."""
    from zas.extensions import db
    from zas.models import (AutomationJob, Device, DeviceTag, Interface, JobResult, Membership, Organization, Site,
                            User)
    from zas.services import dbmanager

    with app.app_context():
        org = Organization(name="Bench")
        db.session.add(org)
        db.session.flush()
        sites = [Site(organization_id=org.id, name=f"site-{i:02d}") for i in range(20)]
        db.session.add_all(sites)
        db.session.flush()
        platforms = ("cisco_ios", "arista_eos", "juniper_junos")
        rows = [{"organization_id": org.id, "site_id": sites[i % 20].id, "name": f"dev-{i:05d}",
                 "host": f"10.{i // 65536}.{i // 256 % 256}.{i % 256}", "port": 22, "snmp_port": 161,
                 "platform": platforms[i % 3], "status": ("up", "down", "unknown")[i % 3],
                 "software_version": f"15.{i % 7}", "model": f"model-{i % 5}"} for i in range(devices)]
        for i in range(0, len(rows), 2000):
            db.session.execute(insert(Device), rows[i:i + 2000])
        ids = list(db.session.scalars(select(Device.id).order_by(Device.id)))
        db.session.execute(insert(DeviceTag), [{"device_id": d, "name": ("core", "edge", "lab")[n % 3]}
                                               for n, d in enumerate(ids)])
        first = db.session.get(Device, ids[0])
        db.session.add_all([Interface(device_id=first.id, name=f"Gi0/{n}", oper_status="up", vlan=10 + n % 4,
                                      speed=1_000_000_000, ip_addresses=[]) for n in range(48)])
        dbmanager.save_config_version(first, CONFIG.format(name="a"))
        dbmanager.save_config_version(first, CONFIG.format(name="b"))
        for n in range(30):
            job = AutomationJob(kind="backup", params={}, organization_id=org.id, status="succeeded", total=1, done=1)
            db.session.add(job)
            db.session.flush()
            db.session.add(JobResult(job_id=job.id, device_id=first.id, device_name=first.name, status="succeeded",
                                     output="ok"))
        user = User(username="bench", is_global_admin=False)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(user_id=user.id, organization_id=org.id, role="admin"))
        db.session.commit()
        return first.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    server = make_url(os.environ.get("ZAS_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306"))
    name = f"zas_bench_ui_{os.getpid()}"
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

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": tempfile.mkdtemp(prefix="zas-bench-ui-"),
                      "SECRET_KEY": "bench", "CREDENTIALS_KEY": TEST_KEY, "WTF_CSRF_ENABLED": False,
                      "REDIS_URL": None, "DEMO": False})
    with app.app_context():
        upgrade()
    print(f"populating {args.devices} devices ...", flush=True)
    device_id = populate(app, args.devices)
    with app.app_context():
        versions = [v for v in db.session.execute(
            text("SELECT id FROM config_versions ORDER BY id")).scalars()]

    client = app.test_client()
    assert client.post("/login", data={"username": "bench", "password": PASSWORD}).status_code == 302
    hx = {"HX-Request": "true"}

    def bare():
        with app.app_context():
            rows = db.session.execute(text(
                "SELECT d.id, d.name, d.host, d.platform, d.status, d.software_version FROM devices d "
                "ORDER BY d.name, d.id LIMIT 50")).all()
            db.session.remove()
        return BARE.render(rows=rows)

    cases = [
        ("device list, full page", "/devices", {}),
        ("device list, fragment", "/devices", hx),
        ("live search q=dev-099", "/devices?q=dev-099", hx),
        ("filter platform+status+tag", "/devices?platform=arista_eos&status=down&tag=edge", hx),
        ("sort -software_version", "/devices?sort=-software_version", hx),
        ("page 150 of 200", "/devices?page=150", hx),
        ("tab basic info", f"/devices/{device_id}", hx),
        ("tab configuration", f"/devices/{device_id}/config", hx),
        ("tab config: view version", f"/devices/{device_id}/config?version={versions[-1]}", hx),
        ("tab config: unified diff", f"/devices/{device_id}/config?a={versions[0]}&b={versions[-1]}", hx),
        ("tab config: side by side", f"/devices/{device_id}/config?a={versions[0]}&b={versions[-1]}&mode=side", hx),
        ("tab interfaces", f"/devices/{device_id}/interfaces", hx),
        ("tab tasks/logs", f"/devices/{device_id}/tasks", hx),
        ("tab telemetry", f"/devices/{device_id}/telemetry", hx),
        ("device page (full)", f"/devices/{device_id}", {}),
    ]
    base_med, base_p95 = timed(bare, args.repeat)
    print(f"\n{args.devices} devices, {args.repeat} requests each (ms)\n")
    print(f"{'what':34} {'median':>8} {'p95':>8} {'x bare':>7}")
    print(f"{'bare: SQL 50 rows + Jinja table':34} {base_med:8.1f} {base_p95:8.1f} {1:7.1f}")
    for label, url, headers in cases:
        resp = client.get(url, headers=headers)
        assert resp.status_code == 200, (url, resp.status_code)
        med, p95 = timed(lambda: client.get(url, headers=headers), args.repeat)
        print(f"{label:34} {med:8.1f} {p95:8.1f} {med / base_med:7.1f}")


if __name__ == "__main__":
    main()
