"""Human-readable terminal output for ``docintake extract`` (without ``--json``)."""

from __future__ import annotations

import json
import unicodedata

from intake.model import Document, ExtractResult

# Values under this confidence are marked for the reader's attention.
LOOK_AT = 0.9


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def _clip(s: str, width: int) -> str:
    out, used = "", 0
    for c in s:
        w = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if used + w > width - 1:
            return out + "…"
        out, used = out + c, used + w
    return out


def _value_text(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def render_document(doc: Document) -> str:
    q = doc.quality
    pages = ",".join(str(p.number) for p in doc.pages)
    head = (
        f"{doc.file}  第{pages}页 / pages {pages}  {doc.type} ({doc.type_confidence:.2f})"
        f"  {'清晰 legible' if q.legible else '不清晰 ILLEGIBLE'} legibility={q.legibility:.2f}"
        f" skew={q.skew_deg:.1f}° dpi={q.dpi}"
    )
    lines = [head]
    if not doc.fields:
        lines.append("  (未提取到字段 / no fields)")
    name_w = max((_width(k) for k in doc.fields), default=0)
    for name, f in doc.fields.items():
        mark = " " if f.confidence >= LOOK_AT else "?"
        where = f"p{f.page}" if f.page is not None else "  "
        lines.append(
            f" {mark}{_pad(name, name_w)}  {_pad(_clip(_value_text(f.value), 48), 48)}"
            f"  {f.confidence:.2f}  {where}  {f.method}"
        )
    return "\n".join(lines)


def render_extract(result: ExtractResult) -> str:
    parts = [render_document(d) for d in result.documents]
    if result.errors:
        parts.append("无法读取 / could not read:")
        parts.extend(f"  {e.file}: {e.error}: {e.message}" for e in result.errors)
    parts.append(f"{len(result.documents)} 份文件 documents, {len(result.errors)} 个错误 errors; "
                 f"'?' = 置信度低于 {LOOK_AT}，请人工核对 / confidence below {LOOK_AT}, check by eye")
    return "\n\n".join(parts) + "\n"
