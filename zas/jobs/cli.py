"""`zas worker` (RQ worker + cron scheduler) and `zas job` (submit and watch jobs from a shell)."""
from __future__ import annotations

import json
import multiprocessing
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from zas.errors import ZasError


@click.command("worker")
@click.option("--queues", default="ssh,snmp,reports,default", show_default=True, help="Comma-separated queues.")
@click.option("--burst", is_flag=True, help="Exit when the queues are empty.")
@click.option("--scheduler/--no-scheduler", default=True, help="Also run the cron scheduler (one is enough).")
@click.option("--simple", is_flag=True, help="Run jobs in this process instead of forking (debugging).")
@with_appcontext
def worker_cmd(queues, burst, scheduler, simple):
    """Run an RQ worker on ZAS's queues, with the cron scheduler for backups, polls and the reconciler."""
    from rq import SimpleWorker, Worker

    from zas.jobs.dispatch import redis_client

    client = redis_client()
    if client is None:
        raise click.ClickException("ZAS_REDIS_URL is not set: jobs run inside the web process, no worker needed")
    cron = None
    if scheduler:
        cron = multiprocessing.get_context("fork").Process(target=run_cron, name="zas-cron", daemon=True)
        cron.start()
    cls = SimpleWorker if simple else Worker
    worker = cls([q.strip() for q in queues.split(",") if q.strip()], connection=client)
    try:
        worker.work(burst=burst, with_scheduler=True, logging_level="WARNING")
    finally:
        if cron is not None and cron.is_alive():
            cron.terminate()


def run_cron() -> None:
    """RQ's cron scheduler: the schedule tick every minute, the reconciler every 30 s."""
    from rq.cron import CronScheduler

    from zas.jobs import reconciler, retention, schedules
    from zas.jobs.dispatch import redis_client

    client = redis_client()
    cron = CronScheduler(connection=client, logging_level="WARNING")
    cron.register(schedules.run, queue_name="default", interval=60, result_ttl=300)
    cron.register(reconciler.run, queue_name="default", interval=30, result_ttl=300)
    cron.register(retention.run, queue_name="default", interval=3600, result_ttl=300)
    cron.start()


@click.group("job")
def job_cli():
    """Submit and watch jobs."""


@job_cli.command("run")
@click.argument("kind")
@click.option("--device", "devices", multiple=True, help="Device name (repeatable).")
@click.option("--org", "org_name", help="Organization of the devices.")
@click.option("--all", "all_devices", is_flag=True, help="Every device of the organization.")
@click.option("--params", default="{}", help="JSON parameters, e.g. '{\"commands\": [\"show version\"]}'.")
@click.option("--wait/--no-wait", default=True)
@with_appcontext
def job_run(kind, devices, org_name, all_devices, params, wait):
    """Run a KIND job on devices and print its outcome."""
    from sqlalchemy import select

    from zas.extensions import db
    from zas.jobs import dispatch
    from zas.models import Device, Organization
    from zas.services import automation

    try:
        org = db.session.scalar(select(Organization).where(Organization.name == org_name)) if org_name else None
        org_ids = {org.id} if org else None
        query = select(Device.id)
        if org is not None:
            query = query.where(Device.organization_id == org.id)
        if devices:
            query = query.where(Device.name.in_(devices))
        elif not all_devices:
            raise click.ClickException("name devices with --device or use --all")
        ids = list(db.session.scalars(query))
        dispatch.ensure_available()
        targets = automation.resolve_targets(ids or [0], None, org_ids)
        job = automation.create_job(kind, targets, json.loads(params), actor_name="cli",
                                    batch_size=int(current_app.config["JOB_BATCH_SIZE"]))
        db.session.commit()
        dispatch.enqueue_job(job.id)
    except (ZasError, json.JSONDecodeError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"job {job.id} queued ({job.total} devices)")
    if not wait:
        return
    job_id = job.id
    while True:
        db.session.remove()
        job = automation.get_job(job_id, None)
        if job.finished:
            break
        db.session.remove()  # hold no connection while waiting: the embedded SQLite pool has one
        time.sleep(0.5)
    for result in job.results:
        click.echo(f"{result.device_name}: {result.status}"
                   + (f" [{result.error_class}] {result.error}" if result.error_class else ""))
    click.echo(f"job {job.id}: {job.status}")
    sys.exit(0 if job.status == "succeeded" else 1)


def register(app) -> None:
    app.cli.add_command(worker_cmd)
    app.cli.add_command(job_cli)
