"""What the API returns, as documented in the OpenAPI schema (/docs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from api.db import Application, Job, Upload, WebhookDelivery
from api.operations import money


class UploadOut(BaseModel):
    id: str
    filename: str
    sha256: str
    size: int
    kind: str
    pages: int | None
    status: str
    replaces_id: str | None
    created_at: datetime

    @classmethod
    def of(cls, u: Upload) -> UploadOut:
        return cls(id=u.id, filename=u.filename, sha256=u.sha256, size=u.size, kind=u.kind, pages=u.pages,
                   status=u.status, replaces_id=u.replaces_id, created_at=u.created_at)


class RejectedOut(BaseModel):
    filename: str
    code: str = Field(description="stable error code, e.g. pdf_encrypted, file_too_large")
    message: str


class UploadResult(BaseModel):
    documents: list[UploadOut]
    rejected: list[RejectedOut]
    duplicates: list[dict[str, str]] = Field(
        default_factory=list,
        description="uploads whose bytes were already uploaded, to this or another application of the portal")


class ApplicationOut(BaseModel):
    id: str
    external_ref: str | None
    program: str
    region: str
    applicant_name: str
    credit_code: str
    status: str
    verdict: str | None
    errors: int
    warnings: int
    eligible_subsidy: str | None
    requested_subsidy: str | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    checked_at: datetime | None
    declared: dict[str, Any] | None = None

    @classmethod
    def of(cls, a: Application, *, with_declared: bool = False) -> ApplicationOut:
        return cls(id=a.id, external_ref=a.external_ref, program=a.program, region=a.region,
                   applicant_name=a.applicant_name, credit_code=a.credit_code, status=a.status, verdict=a.verdict,
                   errors=a.errors, warnings=a.warnings, eligible_subsidy=money(a.eligible_subsidy),
                   requested_subsidy=money(a.requested_subsidy), created_at=a.created_at, updated_at=a.updated_at,
                   submitted_at=a.submitted_at, checked_at=a.checked_at,
                   declared=a.declared if with_declared else None)


class ApplicationList(BaseModel):
    items: list[ApplicationOut]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page; null on the last page")


class JobOut(BaseModel):
    id: str
    application_id: str
    status: str
    attempts: int
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, j: Job) -> JobOut:
        return cls(id=j.id, application_id=j.application_id, status=j.status, attempts=j.attempts, error=j.error,
                   created_at=j.created_at, started_at=j.started_at, finished_at=j.finished_at)


class DeliveryOut(BaseModel):
    id: str
    application_id: str | None
    event: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None
    payload: dict[str, Any]

    @classmethod
    def of(cls, d: WebhookDelivery) -> DeliveryOut:
        return cls(id=d.id, application_id=d.application_id, event=d.event, status=d.status, attempts=d.attempts,
                   last_status_code=d.last_status_code, last_error=d.last_error, created_at=d.created_at,
                   next_attempt_at=d.next_attempt_at, delivered_at=d.delivered_at, payload=d.payload)


class ErrorOut(BaseModel):
    code: str
    message: str
    detail: Any = None


class ErrorBody(BaseModel):
    error: ErrorOut


DECLARED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "declared.json (CONTRACT.md): what the applicant typed into the portal",
    "required": ["program", "applicant"],
    "properties": {
        "program": {"type": "string", "example": "yichun-2023"},
        "submitted_on": {"type": "string", "format": "date"},
        "applicant": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "credit_code": {"type": "string"}, "region": {"type": "string"},
            "established_on": {"type": "string", "format": "date"},
            "revenue_last_year": {"type": "string"}}},
        "supplier": {"type": "object", "properties": {"name": {"type": "string"}, "credit_code": {"type": "string"}}},
        "contracts": {"type": "array", "items": {"type": "object"}},
        "invoices": {"type": "array", "items": {"type": "object"}},
        "payments": {"type": "array", "items": {"type": "object"}},
        "requested_subsidy": {"type": "string", "example": "18000.00"},
    },
}
