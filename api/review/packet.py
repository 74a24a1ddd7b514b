"""An application's evidence packet as a PDF: summary, findings with their crops and
decisions, corrections, the manual checklist, the audit trail.

reportlab with its built-in CID font STSong-Light (Adobe-GB1): no font file needed;
a PDF reader supplies the glyphs.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from api.review.deadlines import CHINA
from api.review.service import ReviewState

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    f = _font()
    return {
        "h1": ParagraphStyle("h1", fontName=f, fontSize=16, leading=22, spaceAfter=6),
        "h2": ParagraphStyle("h2", fontName=f, fontSize=12.5, leading=18, spaceBefore=10, spaceAfter=4),
        "p": ParagraphStyle("p", fontName=f, fontSize=9, leading=13, wordWrap="CJK"),
        "small": ParagraphStyle("small", fontName=f, fontSize=7.5, leading=10, wordWrap="CJK",
                                textColor=colors.HexColor("#444444")),
    }


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape("" if text is None else str(text)).replace("\n", "<br/>"), style)


def _json(v: Any) -> str:
    return "" if v is None else json.dumps(v, ensure_ascii=False)


def evidence_packet(st: ReviewState, crop_for: Callable[[dict[str, Any], dict[str, Any]], bytes | None]) -> bytes:
    """``crop_for(finding, evidence)`` gives the PNG of an evidence crop (None: none)."""
    S = _styles()
    app = st.app
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=f"证据包 {app.applicant_name}", author="docintake")
    width = A4[0] - 30 * mm
    story: list[Any] = [_p(f"证据包 / Evidence packet — {app.applicant_name}", S["h1"])]
    summary = [
        ("申请 / application", app.id), ("项目 / program", f"{st.program.get('name', app.program)}"),
        ("依据 / notice", st.program.get("notice", "")), ("企业 / applicant", app.applicant_name),
        ("信用代码 / credit code", app.credit_code), ("地区 / region", app.region),
        ("状态 / status", app.status), ("结论 / verdict", app.verdict or ""),
        ("可补贴 / eligible", f"{app.eligible_subsidy:.2f}" if app.eligible_subsidy is not None else ""),
        ("申请补贴 / requested", f"{app.requested_subsidy:.2f}" if app.requested_subsidy is not None else ""),
        ("审核期限 / review due", st.due.isoformat() if st.due else ""),
    ]
    t = Table([[_p(k, S["small"]), _p(v, S["p"])] for k, v in summary], colWidths=[40 * mm, width - 40 * mm])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [t, _p("发现 / Findings", S["h2"])]
    if not st.findings:
        story.append(_p("无 / none", S["p"]))
    for f in st.findings:
        block: list[Any] = [
            _p(f"[{f.get('severity')}] {f.get('rule')} — {f['text']['zh']} / {f['text']['en']}", S["p"]),
            _p(f"依据 / clause: {f['text']['clause']}", S["small"]),
            _p(f.get("message", ""), S["p"]),
        ]
        if f.get("declared"):
            block.append(_p(f"申报值 / declared {f['declared'].get('path')}: {f['declared'].get('value')}", S["p"]))
        for ev in f["evidence"]:
            block.append(_p(f"证据 / evidence: {ev.get('file')} 第{ev.get('page', '?')}页 {ev.get('field') or ''} = "
                            f"{ev.get('value') if ev.get('field') else ''}（置信度 / confidence "
                            f"{ev.get('confidence', '')}）", S["small"]))
            png = crop_for(f, ev) if ev.get("has_crop") else None
            if png:
                img = Image(io.BytesIO(png))
                scale = min(1.0, (width * 0.8) / img.imageWidth, (60 * mm) / img.imageHeight)
                img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
                block.append(img)
        d = f.get("decision")
        block.append(_p(f"处理 / decision: {d.decision} — {d.reason}（{d.actor}, "
                        f"{d.at.astimezone(CHINA):%Y-%m-%d %H:%M}）" if d else "处理 / decision: 未处理 / none",
                        S["p"]))
        block.append(Spacer(1, 4 * mm))
        story.append(KeepTogether(block))
    story.append(_p("更正 / Corrections", S["h2"]))
    if st.corrections:
        rows = [[_p(x, S["small"]) for x in ("时间 / at", "人 / by", "字段 / field", "原值 / old", "新值 / new",
                                             "理由 / reason")]]
        rows += [[_p(f"{c.at.astimezone(CHINA):%Y-%m-%d %H:%M}", S["small"]), _p(c.actor, S["small"]),
                  _p(f"{c.file}#{c.field}", S["small"]), _p(_json(c.old_value), S["small"]),
                  _p(_json(c.new_value), S["small"]), _p(c.reason, S["small"])] for c in st.corrections]
        story.append(_table(rows, width, [0.16, 0.1, 0.22, 0.17, 0.17, 0.18]))
    else:
        story.append(_p("无 / none", S["p"]))
    story.append(_p("人工核查 / Manual checklist", S["h2"]))
    rows = [[_p(x, S["small"]) for x in ("完成 / done", "规则 / rule", "内容 / what")]]
    rows += [[_p("是 yes" if c["done"] else "否 no", S["p"]), _p(c["rule"], S["small"]), _p(c.get("message", ""), S["small"])]
             for c in st.checklist]
    story.append(_table(rows, width, [0.1, 0.28, 0.62]))
    story.append(_p("审计记录 / Audit trail", S["h2"]))
    rows = [[_p(x, S["small"]) for x in ("时间 / at", "人 / by", "操作 / action", "对象 / target", "之前 / before",
                                         "之后 / after", "理由 / reason")]]
    rows += [[_p(f"{e.at.astimezone(CHINA):%Y-%m-%d %H:%M:%S}", S["small"]), _p(f"{e.actor} ({e.role})", S["small"]),
              _p(e.action, S["small"]), _p(e.target, S["small"]), _p(_json(e.before), S["small"]),
              _p(_json(e.after), S["small"]), _p(e.reason, S["small"])] for e in st.audit]
    story.append(_table(rows, width, [0.13, 0.1, 0.12, 0.15, 0.17, 0.18, 0.15]))
    doc.build(story)
    return out.getvalue()


def _table(rows: list[list[Any]], width: float, fractions: list[float]) -> Table:
    t = Table(rows, colWidths=[width * f for f in fractions], repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
    return t
