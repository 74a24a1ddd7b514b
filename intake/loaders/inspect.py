"""A quick look at an upload, for the moment it arrives: its real type and page count,
and every refusal ``load_file`` would make (empty, too large, wrong type, encrypted,
broken, too many pages, oversized pages, decompression bombs) — without reading the
text layer, which is most of ``load_file``'s cost on a text PDF and is done again when
the file is checked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from intake.errors import ErrorCode, InputError
from intake.loaders import _read_head
from intake.loaders.images import load_image
from intake.loaders.limits import Limits
from intake.loaders.messages import input_error, short_reason
from intake.loaders.pdf import _inspect, _pdfium_sizes, _too_many_pages
from intake.loaders.sniff import sniff

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileFacts:
    kind: str  # pdf, png, jpeg, tiff, bmp, webp, gif
    pages: int


def inspect_file(path: Path, *, limits: Limits = Limits(), display_name: str | None = None) -> FileFacts:
    """The file's type and page count, or the ``InputError`` loading it would raise."""
    name = display_name or path.name
    kind = sniff(_read_head(path, name, limits), name=name)
    try:
        if kind == "pdf":
            _inspect(path, name, limits)  # encryption, structure, page boxes, embedded image sizes
            sizes = _pdfium_sizes(path, name)  # what the renderer will see
            if len(sizes) > limits.max_pages:
                raise _too_many_pages(name, len(sizes), limits)
            return FileFacts(kind, len(sizes))
        return FileFacts(kind, len(load_image(path, name=name, kind=kind, limits=limits)))
    except InputError:
        raise
    except MemoryError:
        raise input_error(ErrorCode.FILE_TOO_LARGE, name, "内容过大，内存不足以读取", "is too large to load into memory") from None
    except Exception as exc:  # as in load_file: an unforeseen library failure is still the file's
        log.exception("%s: unexpected failure while inspecting", name)
        code = ErrorCode.PDF_UNREADABLE if kind == "pdf" else ErrorCode.IMAGE_UNREADABLE
        raise input_error(code, name, f"无法读取（{short_reason(exc)}）", f"cannot be read: {short_reason(exc)}") from None
