"""REST API speed with a large inventory: filtered, sorted pages of 100 devices, and importing a
10,000-row CSV, each against a bare baseline in the same run.

    .venv/bin/python -m bench.api [--devices 10000] [--interfaces-per-device 20] [--repeat 30] [--keep]

Needs the MariaDB of the test setup (ZAS_TEST_MARIADB_URL, default mysql+pymysql://root@127.0.0.1:3306);
builds a throw-away database `zas_bench_api_<pid>` and drops it (unless --keep). Requests go through
the Flask test client in-process (routing, bearer-token auth, authz, webargs, queries, marshmallow, JSON),
no network. Baselines: one raw SQL query for the same 100 rows + `json.dumps`; for the import, parsing
the same CSV with `csv` and one executemany INSERT.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import statistics
import tempfile
import time

import pymysql
from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url

TEST_KEY = "hZBFIZvsS0F8p4N8YHD3kZ2OaaiQL5O1r1yWfa3mH8Q="


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


def populate(app, devices: int, per_device: int) -> str:
    """One organization with `devices` devices over 20 sites, `per_device` interfaces each, and an
    operator with an API token (returned)."""
    from zas.extensions import db
    from zas.models import Device, DeviceTag, Interface, Membership, Organization, Site, User
    from zas.services import accounts

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
                 "software_version": f"15.{i % 7}", "model": f"model-{i % 5}", "serial": f"SN{i:08d}"}
                for i in range(devices)]
        for i in range(0, len(rows), 2000):
            db.session.execute(insert(Device), rows[i:i + 2000])
        ids = list(db.session.scalars(select(Device.id).order_by(Device.id)))
        db.session.execute(insert(DeviceTag), [{"device_id": d, "name": ("core", "edge", "lab")[n % 3]}
                                               for n, d in enumerate(ids)])
        batch = []
        for d in ids:
            for n in range(per_device):
                batch.append({"device_id": d, "name": f"Gi0/{n}", "if_index": n + 1, "oper_status": "up",
                              "speed": 1_000_000_000, "vlan": 10 + n % 4, "ip_addresses": []})
            if len(batch) >= 20_000:
                db.session.execute(insert(Interface), batch)
                batch = []
        if batch:
            db.session.execute(insert(Interface), batch)
        user = User(username="bench", is_global_admin=False)
        user.set_password("bench password 123")
        db.session.add(user)
        db.session.add(Membership(user=user, organization_id=org.id, role="operator"))
        db.session.flush()
        _, token = accounts.issue_token(user, "bench")
        db.session.commit()
        return token


def import_csv(rows: int, prefix: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["organization", "name", "site", "host", "port", "platform", "tags"])
    for i in range(rows):
        writer.writerow(["Bench", f"{prefix}-{i:05d}", f"site-{i % 20:02d}", f"172.16.{i // 256 % 256}.{i % 256}", 22,
                         "cisco_ios", "imported;bench"])
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--interfaces-per-device", type=int, default=20)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args, _ = parser.parse_known_args()  # `python -m bench api` passes the module name along

    server = make_url(os.environ.get("ZAS_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306"))
    name = f"zas_bench_api_{os.getpid()}"
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

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": tempfile.mkdtemp(prefix="zas-bench-api-"),
                      "SECRET_KEY": "bench", "CREDENTIALS_KEY": TEST_KEY, "REDIS_URL": None, "DEMO": False,
                      "MAX_CONTENT_LENGTH": 64 * 1024 * 1024})
    with app.app_context():
        upgrade()
    print(f"populating {args.devices} devices x {args.interfaces_per_device} interfaces ...", flush=True)
    token = populate(app, args.devices, args.interfaces_per_device)
    with app.app_context():
        # a live database has index statistics; a bulk load leaves them stale (1 interface per device)
        db.session.execute(text("ANALYZE TABLE devices, device_tags, interfaces"))
        db.session.commit()
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}

    def api(path):
        def call():
            resp = client.get("/api/v1" + path, headers=auth)
            assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
            assert len(resp.json) == 100, len(resp.json)
        return call

    def bare():
        with app.app_context():
            rows = db.session.execute(text(
                "SELECT id, name, host, port, platform, status, software_version, site_id FROM devices "
                "WHERE organization_id IN (1) AND platform = 'cisco_ios' ORDER BY name DESC, id LIMIT 100")).all()
            json.dumps([list(r) for r in rows])

    cases = [
        ("bare: SQL 100 rows + json.dumps", bare),
        ("platform=cisco_ios sort=-name", api("/devices?platform=cisco_ios&sort=-name&page_size=100")),
        ("status=up tag=core sort=software_version",
         api("/devices?status=up&tag=core&sort=software_version&page_size=100")),
        ("site_id=3 sort=name", api("/devices?site_id=3&sort=name&page_size=100")),
        ("q=dev-01 (name/host/serial)", api("/devices?q=dev-01&page_size=100")),
        ("page 50 of 100, sort=host", api("/devices?sort=host&page=50&page_size=100")),
        ("interfaces of all devices, page 10", api("/interfaces?page=10&page_size=100")),
    ]
    results = []
    for label, fn in cases:
        median, p95 = timed(fn, args.repeat)
        results.append((label, median, p95))
        print(f"{label:45s} median {median:7.1f} ms   p95 {p95:7.1f} ms", flush=True)

    body = import_csv(args.import_rows, "imp")
    # baseline: parse and insert the same rows with nothing else
    start = time.perf_counter()
    with app.app_context():
        reader = csv.DictReader(io.StringIO(body.decode()))
        rows = [{"organization_id": 1, "name": "bare-" + r["name"], "host": r["host"], "port": int(r["port"]),
                 "platform": r["platform"], "snmp_port": 161, "status": "unknown"} for r in reader]
        db.session.execute(text("INSERT INTO devices (organization_id, name, host, port, platform, snmp_port, status, "
                                "created_at, updated_at) VALUES (:organization_id, :name, :host, :port, :platform, "
                                ":snmp_port, :status, NOW(), NOW())"), rows)
        db.session.commit()
    bare_import = time.perf_counter() - start
    timings = {}
    changed = body.replace(b",172.16.", b",172.17.")  # every row's host differs: 10,000 updates
    steps = (("dry run", "?dry_run=1", body), ("import (create)", "", body), ("re-import unchanged", "", body),
             ("re-import (update)", "", changed))
    for label, query, data in steps:
        start = time.perf_counter()
        resp = client.post("/api/v1/imports/devices" + query, headers=auth, data=data, content_type="text/csv")
        timings[label] = time.perf_counter() - start
        assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
        print(f"{args.import_rows}-row CSV {label:20s} {timings[label]:6.2f} s  {resp.json['created']} created "
              f"{resp.json['updated']} updated {resp.json['unchanged']} unchanged", flush=True)
    print(f"{args.import_rows}-row CSV bare parse + executemany  {bare_import:6.2f} s")
    print("\n| what | median ms | p95 ms |\n|---|---|---|")
    for label, median, p95 in results:
        print(f"| {label} | {median:.1f} | {p95:.1f} |")
    print("\n| import of the CSV | seconds |\n|---|---|")
    print(f"| bare: csv + executemany | {bare_import:.2f} |")
    for label, seconds in timings.items():
        print(f"| {label} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
