"""Where jobs run: RQ queues when ZAS_REDIS_URL is set, otherwise a thread pool in this process.

Call `enqueue_job` only after the job's rows are committed: a worker may start at once.
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from flask import current_app

from zas.errors import ServiceUnavailable
from zas.extensions import db
from zas.services import automation

log = logging.getLogger(__name__)

QUEUE_FOR_KIND = {"poll": "snmp"}
DEFAULT_QUEUE = "ssh"
ALL_QUEUES = ("ssh", "snmp", "reports", "default")
TODO_TTL = 7 * 86400  # a job's device list outlives any sane queue backlog, then cleans itself up


def redis_client():
    """The shared Redis client, or None in the embedded default."""
    app = current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    client = app.extensions.get("zas_redis")
    if client is None:
        from redis import Redis

        client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10, health_check_interval=30)
        app.extensions["zas_redis"] = client
    return client


def ensure_available() -> None:
    """Raise ServiceUnavailable if jobs cannot be queued now (checked before any row is written)."""
    client = redis_client()
    if client is None:
        return
    from redis.exceptions import RedisError

    try:
        client.ping()
    except RedisError:
        raise ServiceUnavailable("the job queue (Redis) is not reachable; no job was created") from None


def enqueue_job(job_id: int) -> None:
    """Hand a committed job to the workers. On failure the job is marked failed (never left queued)."""
    job = automation.get_job(job_id, None)
    parts = automation.batches(job_id)
    client = redis_client()
    try:
        if client is None:
            _running_here().add(job_id)  # before submit: a fast job may finish before the next line
            _executor().submit(_run_in_app, current_app._get_current_object(), job_id,
                               [d for _, ids in parts for d in ids], None)
            return
        from redis.exceptions import RedisError
        from rq import Queue

        queue = Queue(QUEUE_FOR_KIND.get(job.kind, DEFAULT_QUEUE), connection=client)
        timeout = int(current_app.config["JOB_BATCH_TIMEOUT"])
        try:
            # the lanes take devices from one list, so a free worker never waits behind a busy one
            # (its own pipeline: RQ starts a MULTI on the one it is given)
            from zas.jobs.runner import todo_key

            ids = [d for _, device_ids in parts for d in device_ids]
            if ids:
                with client.pipeline() as pipe:
                    pipe.delete(todo_key(job_id))
                    pipe.rpush(todo_key(job_id), *ids)
                    pipe.expire(todo_key(job_id), TODO_TTL)
                    pipe.execute()
            with client.pipeline() as pipe:
                for batch_id, device_ids in parts:
                    queue.enqueue("zas.jobs.runner.run_batch", args=(job_id, device_ids, batch_id),
                                  kwargs={"shared": bool(ids)}, job_id=batch_id, job_timeout=timeout,
                                  result_ttl=3600, failure_ttl=86400, pipeline=pipe)
                pipe.execute()
        except RedisError:
            raise ServiceUnavailable("the job queue (Redis) is not reachable") from None
    except ServiceUnavailable as exc:
        automation.fail_unfinished(job_id, "QueueUnavailable", str(exc))
        db.session.commit()
        raise


def _executor() -> ThreadPoolExecutor:
    ext = current_app.extensions
    if "zas_executor" not in ext:
        ext["zas_executor"] = ThreadPoolExecutor(max_workers=4, thread_name_prefix="zas-job")
    return ext["zas_executor"]


def _running_here() -> set[int]:
    return current_app.extensions.setdefault("zas_local_jobs", set())


def local_job_ids(app) -> set[int]:
    """Jobs this process's thread pool has taken (the embedded reconciler spares them)."""
    return app.extensions.setdefault("zas_local_jobs", set())


def _run_in_app(app, job_id: int, device_ids: list[int], batch_id: str | None) -> None:
    from zas.jobs.runner import run_batch

    with app.app_context():
        try:
            run_batch(job_id, device_ids, batch_id)
        except Exception:  # the job boundary: record, never kill the pool thread
            log.exception("job %s crashed", job_id)
            db.session.rollback()
            automation.fail_unfinished(job_id, "InternalError", "ZAS hit an internal error running this job")
            db.session.commit()
        finally:
            local_job_ids(app).discard(job_id)
            db.session.remove()
