"""Hand-made documents for tests of the checks (no OCR): a fake at the seam between
extraction and validation.

``clean_application(program)`` gives a consistent application for each program —
documents, the declaration and the deployment-list rows — that passes every
automatic rule; a test breaks one thing and expects one rule to fire.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from extractors.normalize import amount_to_uppercase
from intake.model import DocType, Document, ExtractedField, FileError, Method, Page, Quality
from validators.catalogue import default_table
from validators.history import History
from validators.declared import Declared, parse_declared
from validators.engine import run_checks
from validators.lists import ProgramList
from validators.model import CheckResult
from validators.programs import load_policy


def fld(value: Any, confidence: float = 0.99, page: int = 1, bbox: tuple[int, int, int, int] | None = (10, 10, 200, 40),
        method: Method | str = Method.TEXT_LAYER) -> ExtractedField:
    raw = value if isinstance(value, str) else None
    return ExtractedField(value, raw, confidence, page, bbox, method)


def make_doc(doc_type: DocType, file: str, fields: dict[str, Any], *, legible: bool = True,
             pages: int = 1, qr: list[str] | None = None) -> Document:
    """A document whose fields are given as plain values (confidence 0.99) or as
    ``ExtractedField``s (to set confidence, method, box)."""
    quality = Quality(legible=legible, legibility=1.0 if legible else 0.2)
    page_objs = [
        Page(file, n, 2480, 3508, 300, [], Method.TEXT_LAYER, quality, list(qr or []) if n == 1 else [])
        for n in range(1, pages + 1)
    ]
    return Document(
        file, page_objs, doc_type, 0.97,
        {k: v if isinstance(v, ExtractedField) else fld(v) for k, v in fields.items()},
    )


@dataclass
class Application:
    """A bundle in memory: documents by file name, the declaration as JSON, list rows."""

    program: str
    documents: dict[str, Document]
    declared: dict[str, Any]
    list_rows: list[dict[str, str]] = field(default_factory=list)
    file_errors: list[FileError] = field(default_factory=list)

    def declared_obj(self) -> Declared:
        return parse_declared(self.declared)

    def program_list(self) -> ProgramList:
        return ProgramList.from_rows("lists.csv", self.list_rows)

    def set(self, file: str, name: str, value: Any) -> Application:
        """Replace one field of one document (a plain value or an ``ExtractedField``);
        returns the application, so that changes chain."""
        self.documents[file].fields[name] = value if isinstance(value, ExtractedField) else fld(value)
        return self

    def drop(self, file: str, name: str | None = None) -> Application:
        """Remove a document, or one field of it."""
        if name is None:
            del self.documents[file]
        else:
            del self.documents[file].fields[name]
        return self


# Parties (fictitious; credit codes pass GB 32100 and the embedded organisation code check).
_PARTIES: dict[str, dict[str, tuple[str, str]]] = {
    "hebei-2018-benchmark": {
        "applicant": ("廊坊恒信建材有限公司", "91131000453331478A"),
        "supplier": ("石家庄云帆数据科技有限公司", "911301007294364829"),
    },
    "inner-mongolia-2019-voucher": {
        "applicant": ("包头北方稀土材料有限公司", "91150203893288047B"),
        "supplier": ("呼和浩特草原云科技有限公司", "9115010056553566XJ"),
    },
    "yichun-2023": {
        "applicant": ("伊春林海木业有限公司", "91230703072386256U"),
        "supplier": ("伊春林都云信息技术有限公司", "91230702048596915R"),
    },
    "guangdong-2018-voucher": {
        "applicant": ("佛山顺达五金制品有限公司", "914406045118487327"),
        "supplier": ("广州珠江工业互联网科技有限公司", "914401065792469577"),
    },
}

# program: signed, start, end, amount, annual fee, cloud fee, submitted, requested, established
_DEALS: dict[str, tuple[str, str, str, str, str, str | None, str, str, str]] = {
    "hebei-2018-benchmark": ("2018-05-02", "2018-06-01", "2019-05-31", "120000.00", "120000.00", None,
                             "2018-12-01", "24000.00", "2012-03-15"),
    "inner-mongolia-2019-voucher": ("2019-10-08", "2019-10-15", "2020-10-14", "60000.00", "60000.00", None,
                                    "2019-12-02", "15000.00", "2010-07-01"),
    "yichun-2023": ("2023-06-01", "2023-06-15", "2024-06-14", "80000.00", "80000.00", None,
                    "2023-11-20", "40000.00", "2016-09-09"),
    "guangdong-2018-voucher": ("2018-05-02", "2018-06-01", "2019-05-31", "120000.00", "120000.00", "100000.00",
                               "2018-10-08", "100000.00", "2015-04-01"),
}

_CONTRACT_NUMBER = "YF-2018-031"
_INVOICE_NUMBER = "20800628"


def _split_tax(total: Decimal) -> tuple[Decimal, Decimal]:
    amount = (total / Decimal("1.06")).quantize(Decimal("0.01"))
    return amount, total - amount


def clean_application(program: str) -> Application:
    (app_name, app_code), (sup_name, sup_code) = _PARTIES[program]["applicant"], _PARTIES[program]["supplier"]
    signed, start, end, amount, annual, cloud, submitted, requested, established = _DEALS[program]
    total = Decimal(amount)
    excl, tax = _split_tax(total)
    issued = date.fromisoformat(signed).replace(day=20).isoformat()
    contract: dict[str, Any] = {
        "contract_number": _CONTRACT_NUMBER, "party_a_name": app_name, "party_a_credit_code": app_code,
        "party_b_name": sup_name, "party_b_credit_code": sup_code, "signed_on": signed,
        "service_start": start, "service_end": end, "total_amount": amount,
        "total_amount_in_words": "人民币" + amount_to_uppercase(total), "annual_fee": annual, "has_seal": True,
    }
    if cloud:
        contract["cloud_fee"] = cloud
    qr = f"01,10,033001700211,{_INVOICE_NUMBER},{excl},{issued.replace('-', '')},55125894949988546772,030D,"
    documents = {
        "licence.jpg": make_doc(DocType.BUSINESS_LICENCE, "licence.jpg", {
            "company_name": app_name, "credit_code": app_code, "company_type": "有限责任公司（自然人投资或控股）",
            "established_on": established, "term_start": established, "address": "示例路1号",
        }),
        "contract.pdf": make_doc(DocType.CONTRACT, "contract.pdf", contract, pages=4),
        "invoice.pdf": make_doc(DocType.VAT_INVOICE, "invoice.pdf", {
            "invoice_kind": "electronic", "invoice_code": "033001700211", "invoice_number": _INVOICE_NUMBER,
            "issued_on": issued, "buyer_name": app_name, "buyer_tax_id": app_code, "seller_name": sup_name,
            "seller_tax_id": sup_code, "amount_excl_tax": f"{excl}", "tax_amount": f"{tax}", "total": amount,
            "total_in_words": amount_to_uppercase(total),
            "items": [{"name": "*信息技术服务*云服务费", "amount": f"{excl}", "tax_rate": "6%", "tax": f"{tax}"}],
            "check_code": "55125894949988546772",
        }, qr=[qr]),
        "receipt.jpg": make_doc(DocType.PAYMENT_RECEIPT, "receipt.jpg", {
            "payer_name": app_name, "payee_name": sup_name, "amount": amount, "paid_on": issued,
            "serial_number": "HX20180520001",
        }),
    }
    declared: dict[str, Any] = {
        "program": program, "submitted_on": submitted,
        "applicant": {"name": app_name, "credit_code": app_code, "established_on": established},
        "supplier": {"name": sup_name, "credit_code": sup_code},
        "contracts": [{"number": _CONTRACT_NUMBER, "signed_on": signed, "service_start": start,
                       "service_end": end, "amount": amount, "annual_fee": annual}],
        "invoices": [{"number": _INVOICE_NUMBER, "total": amount}],
        "payments": [{"amount": amount, "paid_on": issued}],
        "requested_subsidy": requested,
    }
    rows: list[dict[str, str]] = [{"name": sup_name, "credit_code": sup_code}]
    if program == "inner-mongolia-2019-voucher":
        declared["contracts"][0]["category"] = "business_application"  # 20 % of 60,000 = 12,000, under the cap
        declared["requested_subsidy"] = "12000.00"
        documents["idcard.jpg"] = make_doc(DocType.ID_CARD, "idcard.jpg", {"name": "王芳"}, pages=2)
    if program == "yichun-2023":
        rows[0]["filed_on"] = "2023-03-15"
        documents["form.pdf"] = make_doc(DocType.APPLICATION_FORM, "form.pdf", {
            "provider_name": sup_name, "total_payout": requested,
            "rows": [{"company_name": app_name, "services": "云主机", "contract_term": f"{start}至{end}",
                      "contract_amount": amount, "payout_amount": requested}],
        })
    if program == "guangdong-2018-voucher":
        declared["applicant"]["revenue_last_year"] = "23000000.00"
        declared["contracts"][0]["cloud_fee"] = cloud
        declared["contracts"][0]["service"] = "设备联网与数据采集"
        rows = [{"name": sup_name, "credit_code": sup_code, "service": "设备联网与数据采集", "cap": "100000.00"},
                {"name": sup_name, "credit_code": sup_code, "service": "工业SaaS生产管理", "cap": "50000.00"}]
    return Application(program, documents, copy.deepcopy(declared), rows)


def run_application(app: Application, *, with_list: bool = True, today: date = date(2024, 1, 1),
                    history: History | None = None) -> CheckResult:
    """Check ``app`` under its program's built-in policy with the default rule table."""
    table = default_table()
    program = load_policy(app.program, table)
    return run_checks(
        list(app.documents.values()), app.declared_obj(), program, table, today=today,
        program_list=app.program_list() if with_list else None, file_errors=app.file_errors,
        history=history,
    )
