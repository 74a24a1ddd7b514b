"""One error base with a stable code; problems *in* documents are findings, not errors."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Stable codes shown to users and portals. Never rename one: add a new one."""

    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    FILE_NOT_FOUND = "file_not_found"
    UNSUPPORTED_TYPE = "unsupported_type"
    TYPE_MISMATCH = "type_mismatch"  # reserved: extension says one thing, bytes another
    PDF_UNREADABLE = "pdf_unreadable"
    PDF_ENCRYPTED = "pdf_encrypted"
    TOO_MANY_PAGES = "too_many_pages"
    IMAGE_UNREADABLE = "image_unreadable"
    IMAGE_TOO_LARGE = "image_too_large"  # pixel count over the limit (decompression bomb)
    PAGE_TOO_LARGE = "page_too_large"  # a PDF page box far beyond any paper size
    OCR_FAILED = "ocr_failed"
    OCR_TIMEOUT = "ocr_timeout"
    BAD_ARGUMENTS = "bad_arguments"
    DECLARED_INVALID = "declared_invalid"  # declared.json missing, malformed or hostile
    INTERNAL = "internal_error"


class IntakeError(Exception):
    """Base error. ``code`` is stable; ``http_status`` is what the API answers with."""

    code: ErrorCode = ErrorCode.INTERNAL
    http_status: int = 500
    exit_code: int = 1

    def __init__(self, message: str, *, code: ErrorCode | None = None, file: str | None = None):
        super().__init__(message)
        if code is not None:
            self.code = code
        self.file = file
        self.message = message


class InputError(IntakeError):
    """The input cannot be read: reported per file, the rest of the bundle goes on."""

    code = ErrorCode.UNSUPPORTED_TYPE
    http_status = 422
    exit_code = 2


class OcrError(IntakeError):
    """An OCR engine failed or overran its time limit on a page."""

    code = ErrorCode.OCR_FAILED
    http_status = 500
    exit_code = 1
