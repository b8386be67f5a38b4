"""Backup throughput: ZAS's whole pipeline (job rows, RQ, `zas worker` processes, MariaDB) against a
bare ThreadPoolExecutor + netmiko script, at the same number of concurrent SSH sessions, on the
same lab devices, in one run.

    .venv/bin/python -m bench.backup [--devices 500] [--concurrency 32] [--workers 2] [--batch 50]

Needs MariaDB and Redis on 127.0.0.1 (as `make test` does). Prints a table and the figures for
bench/README.md.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

KEY = "hZBFIZvsS0F8p4N8YHD3kZ2OaaiQL5O1r1yWfa3mH8Q="
REDIS = "redis://127.0.0.1:6379/13"
SSH_BASE, SNMP_BASE = 21000, 23100


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU of this process (or of `pid`, read from /proc) so far."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime, stime, and the same of reaped children (an RQ worker forks a work horse per RQ job)
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def bare(devices: list[dict], concurrency: int) -> tuple[float, float]:
    """What a competent engineer would script: a thread pool of netmiko sessions."""
    from netmiko import ConnectHandler

    def one(d):
        with ConnectHandler(device_type=d["platform"], host=d["host"], port=d["port"], username=d["username"],
                            password=d["password"], secret=d["secret"], fast_cli=True, allow_agent=False,
                            use_keys=False) as conn:
            if d["secret"] and d["platform"] != "juniper_junos":
                conn.enable()  # a real IOS/EOS prints its configuration in privileged mode only
            command = "show configuration | display set" if d["platform"] == "juniper_junos" else "show running-config"
            return len(conn.send_command(command))

    started, cpu = time.monotonic(), cpu_seconds()
    with ThreadPoolExecutor(concurrency) as pool:
        sizes = list(pool.map(one, devices))
    assert all(sizes), "a bare backup returned nothing"
    return time.monotonic() - started, cpu_seconds() - cpu


def zas_pipeline(devices: list[dict], concurrency: int, workers: int, batch: int, mode: str) -> tuple[float, float]:
    """Submit one backup job for every device and wait until the job row says it finished.

    Returns (seconds, CPU seconds of the processes doing the work: the workers, or this one)."""
    import pymysql
    import redis
    from flask_migrate import upgrade
    from sqlalchemy import select

    from zas import create_app
    from zas.extensions import db
    from zas.jobs import dispatch
    from zas.models import AutomationJob, CredentialProfile, Device, Organization
    from zas.services import automation

    name = f"zas_bench_{os.getpid()}"
    admin = pymysql.connect(host="127.0.0.1", user="root", autocommit=True)
    admin.cursor().execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    url = f"mysql+pymysql://root@127.0.0.1/{name}"
    per_worker = max(1, concurrency // workers) if mode == "rq" else concurrency
    config = {"DATABASE_URL": url, "REDIS_URL": REDIS if mode == "rq" else None, "CREDENTIALS_KEY": KEY,
              "SECRET_KEY": "bench", "JOB_CONCURRENCY": per_worker, "JOB_BATCH_SIZE": batch,
              "INSTANCE_PATH": tempfile.mkdtemp(prefix="zas-bench-")}
    procs = []
    try:
        redis.Redis.from_url(REDIS).flushdb()
        app = create_app(config)
        with app.app_context():
            upgrade()
            org = Organization(name="Bench")
            first = devices[0]
            cred = CredentialProfile(organization=org, name="lab", username=first["username"],
                                     password=first["password"], enable_secret=first["secret"])
            db.session.add_all([org, cred] + [
                Device(organization=org, name=d["name"], host=d["host"], port=d["port"], platform=d["platform"],
                       credential=cred) for d in devices])
            db.session.commit()
            if mode == "rq":
                env = {k: v for k, v in os.environ.items() if not k.startswith("ZAS_")}
                env.update(ZAS_DATABASE_URL=url, ZAS_REDIS_URL=REDIS, ZAS_CREDENTIALS_KEY=KEY, ZAS_SECRET_KEY="b",
                           ZAS_JOB_CONCURRENCY=str(per_worker), ZAS_JOB_BATCH_SIZE=str(batch))
                zas = str(Path(sys.executable).with_name("zas"))
                procs = [subprocess.Popen([zas, "worker", "--no-scheduler"], env=env, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL) for _ in range(workers)]
                time.sleep(3)  # workers registered and listening before the clock starts
            started = time.monotonic()
            cpu_pids = [proc.pid for proc in procs] or [None]
            cpu = sum(cpu_seconds(pid) for pid in cpu_pids)
            targets = list(db.session.scalars(select(Device)))
            job_id = automation.create_job("backup", targets, {}, actor_name="bench").id
            db.session.commit()
            dispatch.enqueue_job(job_id)
            jobs = AutomationJob.__table__
            while True:  # one light query per tick: in the embedded mode this loop shares the process
                status = db.session.scalar(select(jobs.c.status).where(jobs.c.id == job_id))
                db.session.commit()
                if status in ("succeeded", "partial", "failed", "cancelled"):
                    break
                time.sleep(0.05)
            elapsed = time.monotonic() - started
            cpu = sum(cpu_seconds(pid) for pid in cpu_pids) - cpu
            db.session.remove()
            job = db.session.get(AutomationJob, job_id)
            assert job.status == "succeeded", f"bench job ended {job.status}: {job.failed} failed"
            db.session.remove()
            db.engine.dispose()
        return elapsed, cpu
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
        admin.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pipelines", default="bare,zas-rq,zas-embedded",
                        help="comma-separated subset of bare, zas-rq, zas-embedded")
    args = parser.parse_args(argv if argv is not None else sys.argv[2:] if sys.argv[1:2] == ["backup"] else sys.argv[1:])

    from zas.lab import control

    root = Path(tempfile.mkdtemp(prefix="zas-bench-lab-")) / "lab"
    devices = control.up(root, args.devices, None, SSH_BASE, SNMP_BASE, "", 3.0)
    lab_pid = control.running_pid(root)
    runs = {"bare": lambda: bare(devices, args.concurrency),
            "zas-rq": lambda: zas_pipeline(devices, args.concurrency, args.workers, args.batch, "rq"),
            "zas-embedded": lambda: zas_pipeline(devices, args.concurrency, 1, args.batch, "embedded")}
    chosen = [name for name in args.pipelines.split(",") if name]
    unknown = set(chosen) - set(runs)
    if unknown:
        parser.error(f"--pipelines: unknown {', '.join(sorted(unknown))}; choose from {', '.join(runs)}")
    # (seconds, client CPU seconds, lab CPU seconds) per round, rounds interleaved so load drifts hit all alike
    figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in chosen}
    try:
        for _ in range(args.rounds):
            for name in chosen:
                lab_cpu = cpu_seconds(lab_pid)
                seconds, cpu = runs[name]()
                figures[name].append((seconds, cpu, cpu_seconds(lab_pid) - lab_cpu))
    finally:
        control.down(root)
    best_bare = min(f[0] for f in figures["bare"]) if "bare" in figures else None
    print(f"{args.devices} lab devices, {args.concurrency} concurrent sessions, {args.workers} RQ workers, "
          f"batches of {args.batch}, best of {args.rounds}:")
    print(f"{'pipeline':<14} {'best s':>8} {'median s':>9} {'devices/s':>10} {'vs bare':>8} "
          f"{'CPU ms/dev':>11} {'lab ms/dev':>11}")
    for name, values in figures.items():
        best = min(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values) * 1000 / args.devices
        lab = statistics.median(v[2] for v in values) * 1000 / args.devices
        ratio = f"{best_bare / best:7.2f}x" if best_bare else "       -"
        print(f"{name:<14} {best:8.1f} {statistics.median(v[0] for v in values):9.1f} {args.devices / best:10.1f} "
              f"{ratio} {cpu:11.1f} {lab:11.1f}")


if __name__ == "__main__":
    main()
