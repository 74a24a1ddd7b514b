"""Tables of the review pages: clerks, and what they did.

Everything a clerk does is a new row, never a change to an old one: the audit trail,
field corrections, decisions on findings and ticks on the checklist are all
append-only (the current state of a finding or a checklist item is its latest row).
On both databases a trigger (migrations 0002, 0003) refuses UPDATE and DELETE on these
tables; the ORM refuses them besides.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from api.db.engine import utcnow
from api.db.models import Base, new_id


class Role(StrEnum):
    CLERK = "clerk"  # sees and decides the applications of their regions
    SUPERVISOR = "supervisor"  # every region; may override error findings
    ADMIN = "admin"  # every region; the user list


class ReviewUser(Base):
    __tablename__ = "review_users"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    regions: Mapped[list[Any]] = mapped_column(JSON, default=list)  # Application.region values
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def all_regions(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)


class AuditEvent(Base):
    """Who did what, when, to which application; the values before and after."""

    __tablename__ = "review_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str | None] = mapped_column(ForeignKey("applications.id"))
    actor: Mapped[str] = mapped_column(String(100))  # user name ("system" for the CLI)
    role: Mapped[str] = mapped_column(String(16), default="")
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(300), default="")  # finding, field, document…
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_review_audit_app_at", "application_id", "at"),
        Index("ix_review_audit_action_at", "action", "at"),
    )


class FieldCorrection(Base):
    """A value a clerk read off the page instead of what the machine read."""

    __tablename__ = "review_corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    file: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(100))
    old_value: Mapped[Any] = mapped_column(JSON)
    new_value: Mapped[Any] = mapped_column(JSON)
    run_before: Mapped[str | None] = mapped_column(String(36))
    run_after: Mapped[str | None] = mapped_column(String(36))
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class CarriedCorrection(Base):
    """What became of a correction when the application was read again from its files (a
    re-submission): re-applied to the new reading (the file is unchanged) or dropped, and why."""

    __tablename__ = "review_carried_corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    correction_id: Mapped[int] = mapped_column(ForeignKey("review_corrections.id"))
    job_run: Mapped[str] = mapped_column(String(36))  # the pipeline's new reading
    run_after: Mapped[str | None] = mapped_column(String(36))  # with the corrections re-applied; None: dropped
    file: Mapped[str] = mapped_column(String(300))  # its name in the new reading (re-applied) or as corrected
    field: Mapped[str] = mapped_column(String(100))
    read_value: Mapped[Any] = mapped_column(JSON)  # what the pipeline read this time
    outcome: Mapped[str] = mapped_column(String(16))  # reapplied | dropped
    why: Mapped[str] = mapped_column(String(32))  # same_file | file_replaced | file_removed | field_not_read
    at: Mapped[datetime] = mapped_column(default=utcnow)


class FindingDecision(Base):
    """Accept (the finding is right) or override (it does not apply), with a reason."""

    __tablename__ = "review_finding_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    finding_key: Mapped[str] = mapped_column(String(64))  # stable across re-runs: rule + evidence
    rule: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str] = mapped_column(String(16))  # accept | override
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ChecklistTick(Base):
    """A manual check done (or undone) by a clerk."""

    __tablename__ = "review_checklist_ticks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    rule: Mapped[str] = mapped_column(String(100))
    done: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)


APPEND_ONLY = (AuditEvent, FieldCorrection, CarriedCorrection, FindingDecision, ChecklistTick)


class AppendOnlyError(RuntimeError):
    pass


def _refuse(mapper: Any, connection: Any, target: Any) -> None:
    raise AppendOnlyError(f"{type(target).__tablename__} is append-only: rows are never changed or deleted")


for _model in APPEND_ONLY:
    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)
