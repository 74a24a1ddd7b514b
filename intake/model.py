"""Plain typed objects that travel between the stages.

Coordinates: every box is ``(x0, y0, x1, y1)`` in pixels of the page image at the
page's ``dpi``, origin top left (CONTRACT.md). Text-layer PDF pages use the same
frame: PDF points are scaled to ``dpi`` so that a box means the same thing whether
the page was read from its text layer or by OCR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

BBox = tuple[int, int, int, int]

# Lone UTF-16 surrogates come out of broken PDF text layers; they cannot be
# encoded as UTF-8, so JSON output and every encoder downstream would choke.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def union_bbox(boxes: list[BBox]) -> BBox:
    """Smallest box holding all ``boxes`` (which must not be empty)."""
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


class DocType(StrEnum):
    BUSINESS_LICENCE = "business_licence"
    CONTRACT = "contract"
    VAT_INVOICE = "vat_invoice"
    PAYMENT_RECEIPT = "payment_receipt"
    APPLICATION_FORM = "application_form"
    ID_CARD = "id_card"
    OTHER = "other"


# Every field CONTRACT.md names, per document type. One list for the extractors'
# tests, the sample generator's truth and the benchmark's scoring. (DocType is a
# StrEnum: the keys also match plain strings.)
CONTRACT_FIELDS: dict[DocType, tuple[str, ...]] = {
    DocType.BUSINESS_LICENCE: (
        "company_name", "credit_code", "registration_number", "company_type",
        "legal_representative", "registered_capital", "established_on", "term_start",
        "term_end", "address", "registration_authority", "issued_on",
    ),
    DocType.CONTRACT: (
        "title", "contract_number", "party_a_name", "party_a_credit_code", "party_b_name",
        "party_b_credit_code", "signed_on", "service_start", "service_end", "total_amount",
        "total_amount_in_words", "cloud_fee", "annual_fee", "services", "has_seal",
    ),
    DocType.VAT_INVOICE: (
        "invoice_kind", "invoice_code", "invoice_number", "issued_on", "buyer_name",
        "buyer_tax_id", "seller_name", "seller_tax_id", "amount_excl_tax", "tax_amount",
        "total", "total_in_words", "items", "check_code",
    ),
    DocType.PAYMENT_RECEIPT: (
        "payer_name", "payer_account", "payee_name", "payee_account", "amount", "paid_on",
        "serial_number", "purpose", "bank",
    ),
    DocType.APPLICATION_FORM: (
        "company_name", "credit_code", "provider_name", "contract_amount",
        "requested_amount", "rows", "total_payout",
    ),
    DocType.ID_CARD: ("name", "id_number"),
    DocType.OTHER: (),
}


class Method(StrEnum):
    """How a piece of text was read; stored with every segment and field."""

    TEXT_LAYER = "text_layer"
    TESSERACT = "ocr:tesseract"
    RAPIDOCR = "ocr:rapidocr"
    QR = "qr"
    REPLAY = "ocr:replay"  # recorded output played back (tests)


@dataclass(frozen=True)
class Segment:
    """A run of text on one visual line, as an engine or the text layer gave it.

    ``text`` is what was read, unnormalised. ``confidence`` is the engine's own
    score mapped to 0..1 (the text layer is 1.0).
    """

    text: str
    bbox: BBox
    confidence: float

    def __post_init__(self) -> None:
        # One for one, so offsets into the text and sub-boxes still hold.
        if _LONE_SURROGATE.search(self.text):
            object.__setattr__(self, "text", _LONE_SURROGATE.sub("\ufffd", self.text))

    def sub_bbox(self, start: int, end: int) -> BBox:
        """Approximate box of ``text[start:end]``, assuming even character widths.

        Engines give a box per segment, not per character; CJK glyphs are close to
        square and evenly spaced, so a proportional cut is within a character.
        """
        n = max(len(self.text), 1)
        x0, y0, x1, y1 = self.bbox
        w = x1 - x0
        return (x0 + (w * start) // n, y0, x0 + (w * end + n - 1) // n, y1)


@dataclass
class Quality:
    """What the clean-up saw and did to a page (CONTRACT.md ``quality``)."""

    legible: bool = True
    dpi: int = 300
    skew_deg: float = 0.0
    blur: float = 0.0  # 0 sharp .. 1 unreadably blurred
    legibility: float = 1.0  # 0..1, mean OCR confidence weighted by text length
    rotation: int = 0  # degrees clockwise applied to make the page upright
    steps: list[str] = field(default_factory=list)  # clean-up steps, in order

    def to_json(self) -> dict[str, Any]:
        return {
            "legible": self.legible,
            "dpi": self.dpi,
            "skew_deg": round(self.skew_deg, 2),
            "blur": round(self.blur, 3),
            "legibility": round(self.legibility, 3),
            "rotation": self.rotation,
            "steps": list(self.steps),
        }


@dataclass
class Page:
    """One page of one uploaded file, read into segments."""

    file: str
    number: int  # 1-based within the file
    width: int
    height: int
    dpi: int
    segments: list[Segment]
    method: Method
    quality: Quality
    # Evidence only the page image holds, filled by the pipeline for the
    # document types that use it: QR payloads (invoices), the seal detector's
    # (found, confidence, box) reading (contracts).
    qr_payloads: list[str] = field(default_factory=list)
    seal: tuple[bool, float, BBox | None] | None = None

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.segments)


@dataclass
class ExtractedField:
    """One value read off a document, with the evidence for it."""

    value: Any  # normalised: str, bool, or a list of dicts/strings
    raw: str | None
    confidence: float
    page: int | None  # page number within the file
    bbox: BBox | None
    method: Method | str

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value}
        if self.raw is not None:
            out["raw"] = self.raw
        out["confidence"] = round(self.confidence, 3)
        if self.page is not None:
            out["page"] = self.page
        if self.bbox is not None:
            out["bbox"] = list(self.bbox)
        out["method"] = str(self.method)
        return out


@dataclass
class Document:
    """A run of pages of one file that together form one document."""

    file: str
    pages: list[Page]
    type: DocType
    type_confidence: float
    fields: dict[str, ExtractedField] = field(default_factory=dict)

    @property
    def quality(self) -> Quality:
        """The worst page that carries text speaks for the document (seals discounted,
        near-blank pages illegible): ``intake.preprocess.quality.document_quality``."""
        from intake.preprocess.quality import document_quality  # preprocess imports this module

        return document_quality(self.pages)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file,
            "pages": [p.number for p in self.pages],
            "type": str(self.type),
            "type_confidence": round(self.type_confidence, 3),
            "quality": self.quality.to_json(),
            "fields": {k: v.to_json() for k, v in self.fields.items()},
        }
        if self.type is DocType.OTHER:
            out["text"] = "\n".join(p.text for p in self.pages)
        return out


@dataclass
class FileError:
    """A file that could not be read (CONTRACT.md ``errors``)."""

    file: str
    error: str  # stable code, see intake.errors.ErrorCode
    message: str

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "error": self.error, "message": self.message}


@dataclass
class ExtractResult:
    documents: list[Document] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "documents": [d.to_json() for d in self.documents],
            "errors": [e.to_json() for e in self.errors],
        }
