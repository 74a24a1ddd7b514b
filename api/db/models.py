"""The service's tables. Times are UTC; ids are UUID strings (the same on SQLite and PostgreSQL).

An application belongs to one portal; its uploads point at content-addressed blobs in
the file store; each submission is a job, and each finished job leaves exactly one
check run (``check_runs.job_id`` is unique: a job redelivered after a crash cannot
write a second result). History keys (invoice numbers, bank serials, company codes,
file hashes) are what later applications are compared with.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from api.db.engine import utcnow


def new_id() -> str:
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite hands back naive ones otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use api.db.utcnow()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class AppStatus(StrEnum):
    DRAFT = "draft"  # created; uploads accepted
    QUEUED = "queued"  # submitted, waiting for a worker
    PROCESSING = "processing"
    CHECKED = "checked"  # verdict ready; waiting for a clerk's decision
    REUPLOAD_REQUESTED = "reupload_requested"  # a clerk asked the applicant for a document
    APPROVED = "approved"
    REJECTED = "rejected"
    FAILED = "failed"  # the check could not run (after retries); see the job's error


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    SUPERSEDED = "superseded"  # a newer submission of the same application replaced it


class UploadStatus(StrEnum):
    ACTIVE = "active"
    SUPERSEDED = "superseded"  # replaced by a re-upload; kept, never deleted


class Portal(Base):
    __tablename__ = "portals"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    webhook_url: Mapped[str | None] = mapped_column(String(2000))
    webhook_secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    keys: Mapped[list[ApiKey]] = relationship(back_populates="portal")


class ApiKey(Base):
    """A portal's key: only its prefix (for lookup) and a SHA-256 of the whole key are kept."""

    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    portal_id: Mapped[str] = mapped_column(ForeignKey("portals.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    portal: Mapped[Portal] = relationship(back_populates="keys")


class Application(Base):
    __tablename__ = "applications"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    portal_id: Mapped[str] = mapped_column(ForeignKey("portals.id"))
    external_ref: Mapped[str | None] = mapped_column(String(200))  # the portal's own id
    program: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100), default="")
    applicant_name: Mapped[str] = mapped_column(String(300), default="")
    credit_code: Mapped[str] = mapped_column(String(32), default="")
    declared: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(32), default=AppStatus.DRAFT)
    verdict: Mapped[str | None] = mapped_column(String(32))
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    eligible_subsidy: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    requested_subsidy: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    current_run_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    checked_at: Mapped[datetime | None]
    uploads: Mapped[list[Upload]] = relationship(back_populates="application", order_by="Upload.created_at")

    __table_args__ = (
        Index("ix_applications_portal_created", "portal_id", "created_at", "id"),
        Index("ix_applications_status", "status"),
        Index("ix_applications_program_region", "program", "region"),
        Index("ix_applications_credit_code", "credit_code"),
    )


class Upload(Base):
    """One file a portal uploaded for an application. Superseded uploads are kept."""

    __tablename__ = "uploads"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    filename: Mapped[str] = mapped_column(String(300))  # cleaned display name
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # sniffed from the bytes: pdf, png, jpeg, …
    pages: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=UploadStatus.ACTIVE)
    replaces_id: Mapped[str | None] = mapped_column(String(36))  # the upload this one replaced
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    application: Mapped[Application] = relationship(back_populates="uploads")


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_token: Mapped[str | None] = mapped_column(String(36))
    lease_until: Mapped[datetime | None]
    worker: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[datetime | None]  # last handed to a queue; re-dispatched when stale
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_jobs_status", "status"),)


class CheckRun(Base):
    """The result of one job: the CONTRACT.md check JSON, stored whole."""

    __tablename__ = "check_runs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    job_id: Mapped[str | None] = mapped_column(ForeignKey("jobs.id"), unique=True)  # one result per job
    verdict: Mapped[str] = mapped_column(String(32))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    # upload id per file name used in the result's evidence
    files: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HistoryKey(Base):
    """Something that may be used once: an invoice, a bank serial, a company's application, a file."""

    __tablename__ = "history_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    program: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))  # validators.history.KeyKind
    key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_history_kind_key", "kind", "key"),)


class IdempotencyRecord(Base):
    """The first answer to a POST with an Idempotency-Key, replayed for its repeats."""

    __tablename__ = "idempotency_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    portal_id: Mapped[str] = mapped_column(ForeignKey("portals.id"))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))  # method, path and body
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("portal_id", "key", name="uq_idempotency_portal_key"),)


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    portal_id: Mapped[str] = mapped_column(ForeignKey("portals.id"), index=True)
    application_id: Mapped[str | None] = mapped_column(ForeignKey("applications.id"), index=True)
    event: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, sending, delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_webhook_due", "status", "next_attempt_at"),)
