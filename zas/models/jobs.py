"""Automation jobs: one row per job, one result per targeted device, an append-only log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zas.extensions import db
from zas.models.devices import Device
from zas.models.organizations import Organization
from zas.models.types import UtcDateTime, utcnow
from zas.models.users import User

JOB_KINDS = ("backup", "command", "config", "discover", "upgrade", "poll")
JOB_STATUSES = ("queued", "running", "succeeded", "partial", "failed", "cancelled")
FINISHED = frozenset({"succeeded", "partial", "failed", "cancelled"})
RESULT_STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")

# device output can be megabytes (show tech); TEXT tops out at 64 KiB on MariaDB
LongText = Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")


class AutomationJob(db.Model):
    """A piece of background work over one or more devices, with its progress and outcome."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_org_created", "organization_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    requested_by_name: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # refreshed by whichever worker is running a part of the job; the reconciler reads it
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedules.id", ondelete="SET NULL"))

    organization: Mapped[Organization] = relationship()
    requested_by: Mapped[User | None] = relationship()
    results: Mapped[list["JobResult"]] = relationship(
        back_populates="job", cascade="all, delete-orphan", passive_deletes=True, order_by="JobResult.id"
    )

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def __repr__(self) -> str:
        return f"<AutomationJob {self.id} {self.kind} {self.status} {self.done}/{self.total}>"


class JobResult(db.Model):
    """What one job did on one device."""

    __tablename__ = "job_results"
    __table_args__ = (
        UniqueConstraint("job_id", "device_id"),
        Index("ix_job_results_device", "device_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    device_name: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    changed: Mapped[bool] = mapped_column(Boolean, default=False)
    output: Mapped[str | None] = mapped_column(LongText)
    diff: Mapped[str | None] = mapped_column(LongText)
    error_class: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    # the RQ job (batch) that carries this device, so the reconciler can tell dead from queued
    batch_id: Mapped[str | None] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    duration_ms: Mapped[int | None] = mapped_column(Integer)

    job: Mapped[AutomationJob] = relationship(back_populates="results")
    device: Mapped[Device | None] = relationship()


class JobLog(db.Model):
    """One line of a job's log; only ever appended."""

    __tablename__ = "job_logs"
    __table_args__ = (Index("ix_job_logs_job", "job_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    level: Mapped[str] = mapped_column(String(8), default="info")
    device_id: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)


class Schedule(db.Model):
    """A recurring job: a cron expression, a kind and its targets (all devices, or a filter)."""

    __tablename__ = "schedules"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    cron: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    target_filter: Mapped[dict] = mapped_column(JSON, default=dict)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    next_run_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    last_run_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_job_id: Mapped[int | None] = mapped_column(Integer)
