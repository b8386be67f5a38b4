"""SNMP poll throughput: a bare easysnmp bulkwalk loop against ZAS's poll path (jobs + database
writes), over the same Net-SNMP `snmpd` agents on loopback, two processes each (one per core).

    .venv/bin/python -m bench.telemetry [--agents 32] [--seconds 10] [--rounds 3] [--veth 24] [--database-url URL]

Starts `--agents` snmpd instances on loopback ports with a generated config (v2c community
"bench"), a throw-away MariaDB database, and prints interface-samples per second for both
sides, the ratio, the 5-minute capacity of one worker process and the storage per stored
interface sample.

snmpd reports the host's own interfaces (4 here), far fewer than a switch has; with `--veth N`
(default 24, needs root) the whole benchmark re-runs itself in a private network namespace
(`unshare -n`) holding N veth pairs, so every agent serves 2N+1 interfaces, like a 48-port
switch. MariaDB is then reached over its Unix socket (which crosses network namespaces).
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

os.environ.setdefault("MIBS", "")

COMMUNITY = "bench"
SNMPD = "/usr/sbin/snmpd"


def start_agents(n: int, base_port: int, workdir: str) -> list[subprocess.Popen]:
    procs = []
    for i in range(n):
        port = base_port + i
        conf = os.path.join(workdir, f"snmpd-{port}.conf")
        with open(conf, "w") as fh:
            fh.write(f"agentAddress udp:127.0.0.1:{port}\nrocommunity {COMMUNITY} 127.0.0.1\n"
                     f"sysName bench-{i}\nsysLocation bench\n")
        procs.append(subprocess.Popen(
            [SNMPD, "-f", "-Lf", "/dev/null", "-C", "-c", conf, "-M", "/dev/null", "-r",
             f"--persistentDir={workdir}/p{port}", "-p", f"{workdir}/{port}.pid"],
            env={**os.environ, "MIBS": ""}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    # wait until every agent answers
    from easysnmp import Session

    deadline = time.monotonic() + 20
    for i in range(n):
        while True:
            try:
                Session(hostname="127.0.0.1", remote_port=base_port + i, version=2, community=COMMUNITY,
                        timeout=0.5, retries=0, use_numeric=True).get(".1.3.6.1.2.1.1.3.0")
                break
            except Exception:  # noqa: BLE001 (not up yet)
                if time.monotonic() > deadline:
                    raise SystemExit(f"snmpd on port {base_port + i} did not start")
                time.sleep(0.1)
    return procs


def bare_worker(ports: list[int], seconds: float, out) -> None:
    """The baseline: easysnmp bulkwalks of the same OIDs ZAS asks for, no parsing beyond counting."""
    from easysnmp import Session

    from zas.services import snmp as z

    columns = ["." + c for c in z.POLL_COLUMNS]
    health = ["." + z.HR_PROCESSOR_LOAD, "." + z.HR_STORAGE_TYPE]
    tables = ["." + c for c in (z.DOT1D_BASE_PORT_IFINDEX, z.DOT1Q_FDB_PORT, z.DOT1Q_FDB_STATUS, z.DOT1Q_VLAN_FDB_ID,
                                z.DOT1D_FDB_PORT, z.DOT1D_FDB_STATUS, z.IP_NET_TO_MEDIA_PHYS,
                                z.IP_NET_TO_PHYSICAL_PHYS, z.IP_NET_TO_PHYSICAL_TYPE)]
    samples = polls = 0
    cpu = time.process_time()
    start = time.monotonic()
    end = start + seconds
    while time.monotonic() < end:
        for port in ports:
            s = Session(hostname="127.0.0.1", remote_port=port, version=2, community=COMMUNITY, timeout=1,
                        retries=1, use_numeric=True)
            s.get(["." + o for o in (z.SYS_DESCR, z.SYS_OBJECT_ID, z.SYS_UPTIME, z.SYS_NAME)])
            rows = s.bulkwalk(columns, max_repetitions=25)
            s.bulkwalk(health, max_repetitions=25)
            s.bulkwalk(tables, max_repetitions=25)
            samples += sum(1 for r in rows if r.oid.lstrip(".") == z.IF_NAME)
            polls += 1
    out.put(("bare", samples, polls, time.process_time() - cpu, time.monotonic() - start))


def zas_snmp_worker(ports: list[int], seconds: float, out) -> None:
    """ZAS's SNMP layer alone (services/snmp: session, poll, forwarding and neighbour tables), no
    job and no database: tells the SNMP part of the gap from the database part."""
    from zas.crypto import Secret
    from zas.services import snmp as z

    settings = z.SnmpSettings(timeout=1.0, retries=1, max_repetitions=25)
    creds = z.SnmpCredentials(profile_id=1, version="2c", community=Secret(COMMUNITY))
    samples = polls = 0
    cpu = time.process_time()
    start = time.monotonic()
    end = start + seconds
    while time.monotonic() < end:
        for port in ports:
            target = z.SnmpTarget(device_id=port, name=str(port), host="127.0.0.1", port=port, credentials=(creds,))
            session, _ = z.connect(target, settings)
            with session:
                data = z.poll(session)
                z.read_fdb(session)
                z.read_neighbours(session)
            samples += len(data.interfaces)
            polls += 1
    out.put(("zas-snmp", samples, polls, time.process_time() - cpu, time.monotonic() - start))


def zas_worker(database_url: str, device_ids: list[int], org_id: int, seconds: float, out) -> None:
    """ZAS: a poll job over this process's devices, run by the job runner, repeated for `seconds`."""
    from sqlalchemy import func, select

    from zas import create_app
    from zas.extensions import db
    from zas.jobs import runner
    from zas.models import Device, Interface, InterfaceTelemetry
    from zas.services import automation

    def stored() -> int:
        """Interface samples of this process's devices (the other process writes the same table)."""
        return db.session.scalar(select(func.count()).select_from(InterfaceTelemetry)
                                 .join(Interface, Interface.id == InterfaceTelemetry.interface_id)
                                 .where(Interface.device_id.in_(ids)))

    app = create_app({"DATABASE_URL": database_url, "DEMO": False, "REDIS_URL": None,
                      "CREDENTIALS_KEY": "hZBFIZvsS0F8p4N8YHD3kZ2OaaiQL5O1r1yWfa3mH8Q=", "SECRET_KEY": "bench",
                      "PRODUCTION": False, "SNMP_TIMEOUT": 1.0, "SNMP_RETRIES": 1})
    with app.app_context():
        db.engine.dispose(close=False)
        ids = list(device_ids)
        before = stored()
        polls = 0
        cpu = time.process_time()
        start = time.monotonic()
        end = start + seconds
        while time.monotonic() < end:
            devices = list(db.session.scalars(select(Device).where(Device.id.in_(ids))))
            job = automation.create_job("poll", devices, {}, actor_name="bench", batch_size=len(devices))
            db.session.commit()
            job_id = job.id
            db.session.remove()
            runner.run_batch(job_id, ids, None)
            polls += len(ids)
        db.session.remove()
        cpu, elapsed = time.process_time() - cpu, time.monotonic() - start
        out.put(("zas", None, polls, stored() - before, cpu, elapsed))


def mariadb_cpu() -> float | None:
    """CPU seconds the local MariaDB server has used so far (None if it is not visible from here)."""
    for name in ("mariadbd", "mysqld"):
        try:
            pid = subprocess.run(["pidof", "-s", name], capture_output=True, text=True).stdout.strip()
        except FileNotFoundError:
            return None
        if pid:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return None


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat."""
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


BUSY: dict[str, list[float]] = {}  # side -> fraction of the machine's CPU in use while it ran


def run_side(target, args_list, label: str | None = None) -> list:
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    procs = [ctx.Process(target=target, args=(*a, q)) for a in args_list]
    busy0, total0 = cpu_jiffies()
    for p in procs:
        p.start()
    results = [q.get() for _ in procs]
    busy1, total1 = cpu_jiffies()
    if label:
        BUSY.setdefault(label, []).append((busy1 - busy0) / max(1, total1 - total0))
    for p in procs:
        p.join()
    return results


def enter_netns(veth: int, argv: list[str]) -> None:
    """Re-run this benchmark in a new network namespace with `veth` veth pairs (returns only inside it)."""
    if os.environ.get("ZAS_BENCH_NETNS") == "1":
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        for i in range(veth):
            subprocess.run(["ip", "link", "add", f"zb{i}a", "type", "veth", "peer", "name", f"zb{i}b"], check=True)
            subprocess.run(["ip", "link", "set", f"zb{i}a", "up"], check=True)
            subprocess.run(["ip", "link", "set", f"zb{i}b", "up"], check=True)
        return
    env = {**os.environ, "ZAS_BENCH_NETNS": "1"}
    raise SystemExit(subprocess.call(["unshare", "-n", sys.executable, "-m", "bench.telemetry", *argv], env=env))


def main(argv=None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--base-port", type=int, default=17161)
    parser.add_argument("--veth", type=int, default=24, help="veth pairs in a private netns (0: host interfaces)")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    if not os.path.exists(SNMPD):
        raise SystemExit("snmpd is not installed (apt-get install snmpd)")
    if args.veth:
        enter_netns(args.veth, argv)
        args.database_url = args.database_url or "mysql+pymysql://root@localhost/?unix_socket=/run/mysqld/mysqld.sock"
    args.database_url = args.database_url or "mysql+pymysql://root@127.0.0.1:3306"

    import pymysql
    from sqlalchemy.engine import make_url

    server = make_url(args.database_url)
    dbname = f"zas_bench_{uuid.uuid4().hex[:8]}"
    socket_path = server.query.get("unix_socket")
    conn = pymysql.connect(host=server.host or "localhost", port=server.port or 3306, user=server.username or "root",
                           password=server.password or "", autocommit=True, unix_socket=socket_path)
    conn.cursor().execute(f"CREATE DATABASE `{dbname}` CHARACTER SET utf8mb4")
    database_url = server.set(database=dbname).render_as_string(hide_password=False)
    workdir = tempfile.mkdtemp(prefix="zas-bench-snmpd-")
    agents = start_agents(args.agents, args.base_port, workdir)
    try:
        ports = [args.base_port + i for i in range(args.agents)]
        halves = [ports[0::2], ports[1::2]]

        # set up ZAS: schema, an organization, its SNMP profile and one device per agent
        from flask_migrate import upgrade

        from zas import create_app
        from zas.extensions import db
        from zas.models import Device, Organization, SnmpProfile

        app = create_app({"DATABASE_URL": database_url, "DEMO": False, "REDIS_URL": None, "PRODUCTION": False,
                          "CREDENTIALS_KEY": "hZBFIZvsS0F8p4N8YHD3kZ2OaaiQL5O1r1yWfa3mH8Q=", "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            org = Organization(name="bench")
            db.session.add(org)
            db.session.flush()
            db.session.add(SnmpProfile(organization_id=org.id, name="v2c", version="2c", community=COMMUNITY))
            devices = [Device(organization_id=org.id, name=f"bench-{p}", host="127.0.0.1", snmp_port=p,
                              platform="linux") for p in ports]
            db.session.add_all(devices)
            db.session.commit()
            by_port = {d.snmp_port: d.id for d in devices}
            org_id = org.id
            db.session.remove()
            db.engine.dispose()

        # warm-up poll so ZAS's measured polls all compute rates (and the baseline's caches are warm)
        run_side(zas_worker, [(database_url, [by_port[p] for p in ports], org_id, 0.01)])

        # sides interleaved for --rounds rounds, best round per side: other load on the shared box
        # moves a single run by tens of percent, and hits whichever side runs at that moment
        bare_rates, snmp_rates, zas_rates, server_ms = [], [], [], []
        cpu_ms = {"bare": [], "zas-snmp": [], "zas": []}  # process CPU per device poll

        def per_poll(results, cpu_at):
            return sum(r[cpu_at] for r in results) * 1000 / max(1, sum(r[2] for r in results))

        for _ in range(args.rounds):
            bare = run_side(bare_worker, [(h, args.seconds) for h in halves], "bare")
            bare_rates.append(sum(r[1] / r[4] for r in bare))
            cpu_ms["bare"].append(per_poll(bare, 3))
            snmp_only = run_side(zas_snmp_worker, [(h, args.seconds) for h in halves], "zas-snmp")
            snmp_rates.append(sum(r[1] / r[4] for r in snmp_only))
            cpu_ms["zas-snmp"].append(per_poll(snmp_only, 3))
            server_cpu = mariadb_cpu()
            zas = run_side(zas_worker, [(database_url, [by_port[p] for p in h], org_id, args.seconds)
                                        for h in halves], "zas")
            zas_rates.append(sum(r[3] / r[5] for r in zas))
            cpu_ms["zas"].append(per_poll(zas, 4))
            if server_cpu is not None:
                server_ms.append((mariadb_cpu() - server_cpu) * 1000 / max(1, sum(r[2] for r in zas)))
        bare_rate, snmp_rate, zas_rate = max(bare_rates), max(snmp_rates), max(zas_rates)

        one = run_side(zas_worker, [(database_url, [by_port[p] for p in ports], org_id, args.seconds)])
        one_rate = one[0][3] / one[0][5]

        with app.app_context():
            from sqlalchemy import text

            row = db.session.execute(text(
                "SELECT table_rows, data_length + index_length FROM information_schema.tables "
                "WHERE table_schema = :s AND table_name = 'interface_telemetry'"), {"s": dbname}).one()
            db.session.execute(text("ANALYZE TABLE interface_telemetry"))
            row = db.session.execute(text(
                "SELECT table_rows, data_length + index_length FROM information_schema.tables "
                "WHERE table_schema = :s AND table_name = 'interface_telemetry'"), {"s": dbname}).one()
            exact = db.session.execute(text("SELECT COUNT(*) FROM interface_telemetry")).scalar()
            db.session.remove()
            db.engine.dispose()
        bytes_per_row = (row[1] / exact) if exact else float("nan")
        per_day = 10_000 * 86400 / 300
        rows_30d_retained = 10_000 * (288 * 7 + 24 * 30 + 30)  # raw 7 d + hourly 30 d + daily 30 d
        rows_30d_raw = per_day * 30

        def rounds(rates):
            return ", ".join(f"{r:,.0f}" for r in rates)

        print(f"agents: {args.agents} snmpd on loopback, "
              f"{f'{args.veth * 2 + 1} interfaces' if args.veth else 'the host interfaces'} each; {args.rounds} rounds of {args.seconds:.0f} s per side; 2 processes per side")
        print(f"bare easysnmp bulkwalk loop: {bare_rate:,.0f} interface-samples/s (rounds: {rounds(bare_rates)})")
        print(f"ZAS SNMP layer alone (no jobs, no database): {snmp_rate:,.0f} interface-samples/s "
              f"(rounds: {rounds(snmp_rates)})")
        print(f"ZAS poll path (jobs + MariaDB writes): {zas_rate:,.0f} interface-samples/s "
              f"(rounds: {rounds(zas_rates)})")
        print(f"ratio ZAS/bare: {zas_rate / bare_rate:.2f} (target >= 0.7); SNMP layer alone/bare: "
              f"{snmp_rate / bare_rate:.2f}")
        print("process CPU per device poll (best round): " + ", ".join(
            f"{name} {min(values):.1f} ms" for name, values in cpu_ms.items()))
        if server_ms:
            print(f"MariaDB server CPU during the ZAS side: {min(server_ms):.1f} ms per device poll")
        print("machine CPU in use while each side ran (mean of rounds): " + ", ".join(
            f"{name} {100 * sum(v) / len(v):.0f}%" for name, v in BUSY.items()))
        print(f"one ZAS worker process: {one_rate:,.0f} interface-samples/s -> "
              f"{one_rate * 300:,.0f} interfaces per 5-minute cycle")
        print(f"storage: {bytes_per_row:.0f} bytes per interface sample on MariaDB (data + indexes, {exact} rows); "
              f"10,000 interfaces x 30 days: {rows_30d_retained * bytes_per_row / 1e9:.2f} GB with the default "
              f"retention (raw 7 d, hourly, daily), {rows_30d_raw * bytes_per_row / 1e9:.2f} GB if all 30 days "
              "stayed raw")
    finally:
        for p in agents:
            p.send_signal(signal.SIGTERM)
        for p in agents:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(workdir, ignore_errors=True)
        conn.cursor().execute(f"DROP DATABASE IF EXISTS `{dbname}`")
        conn.close()


if __name__ == "__main__":
    main(sys.argv[1:])
