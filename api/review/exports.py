"""Settlement lists (CSV, XLSX) per program and period, after the Yichun payout form
(兑付申请表: one row per enterprise, a header naming the program, a total)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from api.review.service import SETTLEMENT_COLUMNS


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return "" if value is None else value


def total_payout(rows: list[dict[str, Any]]) -> Decimal:
    return sum((r["payout"] for r in rows if r["payout"] is not None), Decimal("0.00"))


def settlement_csv(rows: list[dict[str, Any]], program_name: str, start: date, end: date) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([f"{program_name} 兑付清单 / settlement list", f"{start.isoformat()} — {end.isoformat()}"])
    w.writerow([f"{zh} / {en}" for _, zh, en in SETTLEMENT_COLUMNS])
    for r in rows:
        w.writerow([_cell(r[k]) for k, _, _ in SETTLEMENT_COLUMNS])
    w.writerow(["合计 / total", f"{len(rows)} 户 / enterprises"] + [""] * 5 + [f"{total_payout(rows):.2f}"] + [""] * 3)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 CSV correctly


def settlement_xlsx(rows: list[dict[str, Any]], program_name: str, start: date, end: date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "兑付清单"
    ncol = len(SETTLEMENT_COLUMNS)
    ws.cell(1, 1, f"{program_name} 兑付清单 / settlement list").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(2, 1, f"期间 / period: {start.isoformat()} — {end.isoformat()}；企业数 / enterprises: {len(rows)}；"
                  f"兑付总金额 / total payout: {total_payout(rows):.2f}")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    for c, (_, zh, en) in enumerate(SETTLEMENT_COLUMNS, 1):
        cell = ws.cell(3, c, f"{zh}\n{en}")
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    money_cols = {k for k in ("contract_amount", "payout")}
    for r_i, r in enumerate(rows, 4):
        for c, (k, _, _) in enumerate(SETTLEMENT_COLUMNS, 1):
            v = r[k]
            cell = ws.cell(r_i, c, float(v) if isinstance(v, Decimal) else ("" if v is None else v))
            if k in money_cols:
                cell.number_format = "#,##0.00"
    last = 4 + len(rows)
    ws.cell(last, 1, "合计 / total").font = Font(bold=True)
    pay_col = [k for k, _, _ in SETTLEMENT_COLUMNS].index("payout") + 1
    letter = get_column_letter(pay_col)
    total = ws.cell(last, pay_col, f"=SUM({letter}4:{letter}{last - 1})" if rows else 0)
    total.number_format = "#,##0.00"
    total.font = Font(bold=True)
    widths = {"company": 30, "services": 30, "supplier": 28, "contract_term": 24, "credit_code": 22}
    for c, (k, _, _) in enumerate(SETTLEMENT_COLUMNS, 1):
        ws.column_dimensions[get_column_letter(c)].width = widths.get(k, 14)
    ws.freeze_panes = "A4"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
