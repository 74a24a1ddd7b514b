"""Persistence: models, engine and sessions, migrations."""

from api.db.engine import Database, utcnow
from api.db.models import (
    ApiKey,
    Application,
    AppStatus,
    Base,
    CheckRun,
    HistoryKey,
    IdempotencyRecord,
    Job,
    JobStatus,
    Portal,
    Upload,
    UploadStatus,
    WebhookDelivery,
)

__all__ = [
    "ApiKey",
    "AppStatus",
    "Application",
    "Base",
    "CheckRun",
    "Database",
    "HistoryKey",
    "IdempotencyRecord",
    "Job",
    "JobStatus",
    "Portal",
    "Upload",
    "UploadStatus",
    "WebhookDelivery",
    "utcnow",
]
