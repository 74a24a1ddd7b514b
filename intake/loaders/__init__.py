"""Turn an uploaded file into pages: ``load_file(path) -> list[SourcePage]``.

The file's type comes from its bytes (see :mod:`.sniff`); its size, page count,
page boxes and pixel counts are checked against :class:`Limits` before anything
expensive happens. Every refusal is an :class:`intake.errors.InputError` with a
stable code and a message in Chinese and English naming the file; no library
exception gets out.
"""

from __future__ import annotations

import logging
from pathlib import Path

from intake.errors import ErrorCode, InputError
from intake.loaders.images import load_image
from intake.loaders.limits import Limits
from intake.loaders.messages import input_error, short_reason
from intake.loaders.pdf import load_pdf
from intake.loaders.sniff import SNIFF_BYTES, SUPPORTED, sniff
from intake.loaders.source import PageKind, SourcePage

__all__ = ["Limits", "PageKind", "SUPPORTED", "SourcePage", "load_file", "sniff"]

log = logging.getLogger(__name__)

MIN_DPI, MAX_DPI = 50, 1200  # requested render resolution for PDF pages


def load_file(
    path: Path,
    *,
    limits: Limits = Limits(),
    dpi: int = 300,
    display_name: str | None = None,
) -> list[SourcePage]:
    """The pages of one uploaded file, in order.

    ``dpi`` is the resolution PDF pages are rendered at (text-layer boxes are scaled
    to it; a page too large for ``limits.max_pixels`` at that dpi gets a lower one,
    given in its ``SourcePage.dpi``). Images keep their own pixels. ``display_name``
    is what messages call the file (default: ``path.name``).
    """
    path = Path(path)
    name = display_name or path.name
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise input_error(
            ErrorCode.BAD_ARGUMENTS, name, f"渲染分辨率 {dpi} dpi 超出范围（{MIN_DPI}–{MAX_DPI}）",
            f"cannot be rendered at {dpi} dpi (allowed {MIN_DPI}-{MAX_DPI})",
        )
    head = _read_head(path, name, limits)
    kind = sniff(head, name=name)
    try:
        if kind == "pdf":
            pages = load_pdf(path, name=name, limits=limits, dpi=dpi)
        else:
            pages = load_image(path, name=name, kind=kind, limits=limits)
    except InputError:
        raise
    except MemoryError:
        raise input_error(
            ErrorCode.FILE_TOO_LARGE, name, "内容过大，内存不足以读取", "is too large to load into memory"
        ) from None
    except Exception as exc:  # a library failure we did not foresee: still the file's fault
        log.exception("%s: unexpected failure while loading", name)
        code = ErrorCode.PDF_UNREADABLE if kind == "pdf" else ErrorCode.IMAGE_UNREADABLE
        raise input_error(
            code, name, f"无法读取（{short_reason(exc)}）", f"cannot be read: {short_reason(exc)}"
        ) from None
    log.debug("%s: %s, %d page(s)", name, kind, len(pages))
    return pages


def _read_head(path: Path, name: str, limits: Limits) -> bytes:
    """The file's first bytes, after checking it exists, is a file and is not too large."""
    try:
        if not path.is_file():
            if path.exists():
                raise input_error(ErrorCode.FILE_NOT_FOUND, name, "不是文件（可能是文件夹）", "is not a file")
            raise input_error(ErrorCode.FILE_NOT_FOUND, name, "找不到该文件", "was not found")
        size = path.stat().st_size
        if size == 0:
            raise input_error(ErrorCode.FILE_EMPTY, name, "是空文件", "is an empty file")
        if size > limits.max_bytes:
            raise input_error(
                ErrorCode.FILE_TOO_LARGE, name,
                f"文件过大（{_mib(size)}，上限 {_mib(limits.max_bytes)}）",
                f"is too large ({_mib(size)}, limit {_mib(limits.max_bytes)})",
            )
        with path.open("rb") as fh:
            return fh.read(SNIFF_BYTES)
    except InputError:
        raise
    except OSError as exc:  # permissions, a vanished file, a broken mount
        raise input_error(
            ErrorCode.FILE_NOT_FOUND, name, f"无法打开（{short_reason(exc)}）", f"cannot be opened: {short_reason(exc)}"
        ) from None


def _mib(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB"
    return f"{size / 1024:.1f} KiB" if size >= 1024 else f"{size} B"
