"""What a check produces: findings with evidence, the clerk's checklist, a verdict.

Shapes follow CONTRACT.md's ``check --json``; ``Evidence`` adds ``confidence`` (an
addition the contract allows) because a clerk decides what to re-read by it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from intake.model import BBox, Document, ExtractedField, FileError

CHECK_JSON_VERSION = 1


class Severity(StrEnum):
    ERROR = "error"  # a rule broken: the clerk must act
    WARNING = "warning"  # doubt: low OCR confidence, near-miss names
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]

    def at_most(self, other: Severity | None) -> Severity:
        """The milder of the two (``None`` leaves this one unchanged)."""
        if other is None or self.rank <= other.rank:
            return self
        return other


class Verdict(StrEnum):
    PASS = "pass"
    FLAGGED = "flagged"
    FAIL = "fail"


# Fields whose value never leaves the document in plain text (CONTRACT.md: the
# ID number is never logged); evidence about them shows a masked value.
MASKED_FIELDS = frozenset({"id_number"})
_MASKED_FIELDS = MASKED_FIELDS


def mask_value(value: Any) -> Any:
    """``11010519491231002X`` → ``11**************2X``."""
    return _mask(value)


def _mask(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 4:
        return value[:2] + "*" * (len(value) - 4) + value[-2:]
    return "****"


@dataclass(frozen=True)
class Evidence:
    """Where a value was read: enough for a review page to draw a box on it."""

    file: str
    page: int | None = None
    field: str | None = None
    value: Any = None
    bbox: BBox | None = None
    confidence: float | None = None

    @classmethod
    def of_field(cls, doc: Document, name: str, fld: ExtractedField) -> Evidence:
        value = _mask(fld.value) if name in _MASKED_FIELDS else fld.value
        return cls(doc.file, fld.page, name, value, fld.bbox, fld.confidence)

    @classmethod
    def of_document(cls, doc: Document) -> Evidence:
        return cls(doc.file, doc.pages[0].number if doc.pages else None)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file}
        if self.page is not None:
            out["page"] = self.page
        if self.field is not None:
            out["field"] = self.field
            out["value"] = self.value
        if self.bbox is not None:
            out["bbox"] = list(self.bbox)
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 3)
        return out


@dataclass(frozen=True)
class DeclaredRef:
    """The value the applicant typed that a finding contradicts (``supplier.name``)."""

    path: str
    value: Any

    def to_json(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, Decimal):
            value = f"{value:.2f}"
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        return {"path": self.path, "value": value}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    evidence: tuple[Evidence, ...] = ()
    declared: DeclaredRef | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "evidence": [e.to_json() for e in self.evidence],
        }
        if self.declared is not None:
            out["declared"] = self.declared.to_json()
        return out


class ChecklistStatus(StrEnum):
    MANUAL = "manual"  # only a clerk can decide (or the data to decide is not configured)


@dataclass(frozen=True)
class ChecklistItem:
    rule: str
    status: ChecklistStatus
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "status": str(self.status), "message": self.message}


def verdict_of(findings: list[Finding] | tuple[Finding, ...]) -> Verdict:
    """CONTRACT.md: fail when any error, flagged when any warning, else pass."""
    severities = {f.severity for f in findings}
    if Severity.ERROR in severities:
        return Verdict.FAIL
    if Severity.WARNING in severities:
        return Verdict.FLAGGED
    return Verdict.PASS


@dataclass
class CheckResult:
    program: str
    program_name: str
    findings: list[Finding]
    checklist: list[ChecklistItem]
    eligible_subsidy: Decimal | None
    requested_subsidy: Decimal | None = None
    documents: list[Document] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        return verdict_of(self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": CHECK_JSON_VERSION,
            "program": self.program,
            "verdict": str(self.verdict),
            "eligible_subsidy": None if self.eligible_subsidy is None else f"{self.eligible_subsidy:.2f}",
            "documents": [d.to_json() for d in self.documents],
            "findings": [f.to_json() for f in self.findings],
            "checklist": [c.to_json() for c in self.checklist],
            "errors": [e.to_json() for e in self.errors],
        }
