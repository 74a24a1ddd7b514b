"""Whole applications: one cloud deal rendered as every file an applicant uploads for
a program, the declaration they typed (``declared.json``, CONTRACT.md shape) and the
subsidy they are owed under the program's formula.

    make_plan(program, seed, *, provider=None, scanned_share=0.0) -> Plan
    render_plan(plan) -> Application
    generate_application(program, seed, *, defect=None, ...) -> Application

A ``Plan`` is the deal (a ``fakedata.Scenario`` fitted to the program's rules) plus one
``DocPlan`` per uploaded document. ``samplegen.defects`` changes a plan — one document,
the declaration or the deployment list — before it is rendered. Every document is
drawn from its own seed (program, seed, document name), so a bundle with a planted
defect shares each untouched file byte for byte with its clean twin: the committed
bundles link those files, and the benchmark extracts them once.

What a clean application satisfies, per program (PROGRAMS.md, the policy files):
  hebei        contract signed by 2018-08-31 and in service on 2018-11-30; submitted
               2018-11-28..12-07; a 申报表; subsidy 20 % of the annual fee, cap 50,000
  inner-mon.   contract of one category (infrastructure / business_application /
               platform); the contact's ID card, front and back; ratio by category,
               cap 20,000 per company-year
  yichun       provider filed before the contract; applicant ≥ 1 year old; the
               provider's 兑付申请表; 50 % of the contract amount, cap 100,000
  guangdong    contract after 2018-03-20 stating the 上云上平台费用; applicant ≥ 1 year
               old with ≥ 10 M revenue; min(catalogue cap, cloud fee); invoices and
               payments at least the voucher
Everywhere: licence valid and issued by the application date, contract sealed, every
party the same company on every document, declared values as the documents show them.
Ratios and caps are read from validators/policies/<program>.yaml (data, not code), so
the expected subsidy cannot drift from what the checks compute.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, ImageFilter

from samplegen import (degrade, render_application, render_contract, render_idcard,
                       render_invoice, render_licence, render_receipt)
from samplegen.fakedata import (REGIONS, SERVICES, Company, Region, Scenario, ServiceLine,
                                address, make_scenario, phone)
from samplegen.invoice_data import InvoiceData, make_invoice
from samplegen.package import page_images
from samplegen.pdfout import images_to_pdf, sheets_to_pdf
from samplegen.textfmt import add_years, money, random_date
from samplegen.truth import Rendered

ROOT = Path(__file__).resolve().parent.parent
POLICY_DIR = ROOT / "validators" / "policies"
PROGRAMS = ("hebei-2018-benchmark", "inner-mongolia-2019-voucher", "yichun-2023",
            "guangdong-2018-voucher")
HEBEI, MONGOLIA, YICHUN, GUANGDONG = PROGRAMS

# Scan resolution per document type: A4 pages of large print read well at 150 dpi,
# invoices, receipts and ID cards (8–9 pt) need 200.
SCAN_DPI = {"business_licence": 150, "contract": 150, "application_form": 200,
            "vat_invoice": 200, "payment_receipt": 200, "id_card": 200}
JPEG_QUALITY = 75
# compact plans (the committed bundles): seals at 72 dpi and the non-embedded CJK font
# in text-layer PDFs, a quarter of their usual size (pdfout.sheets_to_pdf), and scans
# saved at a lower JPEG quality (a licence's guilloche and scan noise are most of it)
COMPACT_PICTURE_DPI = 72
COMPACT_JPEG_QUALITY = 62

# Guangdong's service catalogue: (service, cap) rows a generated list may hold.
CATALOGUE = [("设备联网与数据采集", "100000.00"), ("工业SaaS生产管理", "50000.00"),
             ("云主机与存储资源", "30000.00"), ("工业大数据分析", "80000.00"),
             ("协同研发设计云", "60000.00"), ("工业互联网平台应用", "150000.00")]
IM_CATEGORIES = ("infrastructure", "business_application", "platform")


# --- the plan ------------------------------------------------------------------------


@dataclass
class DocPlan:
    """One uploaded document: what it is, and what (if anything) is wrong with it."""

    name: str  # file stem in the bundle: licence, contract, invoice, ...
    doc_type: str
    fmt: str
    scanned: bool  # printed and scanned (else a born-digital text-layer PDF where it can be)
    sc: Scenario | None = None  # its own scenario when a defect changed it; None: the deal's
    company: Company | None = None  # licence: whose (None: the applicant's)
    licence: str = "valid"  # licence dates wanted: valid (issued by, in force on the
    #                         application date) or expired (term ended before it)
    invoice_edit: Callable[[InvoiceData], InvoiceData] | None = None
    damage: str | None = None  # "illegible" (an unreadable photo) or "truncated" (a broken upload)
    in_declaration: bool = True  # False: an upload the applicant did not type into the form
    uploaded: bool = True  # False: typed into the form, but the file was never uploaded


@dataclass
class Pointer:
    """Where a planted defect shows: a document's field, a declared path, or a whole file."""

    doc: str | None = None  # DocPlan name
    field: str | None = None
    declared: str | None = None  # declared.json path: contracts[0].amount
    missing_type: str | None = None  # a required document type that is absent


@dataclass
class Planted:
    kind: str
    rules: tuple[str, ...]
    side_rules: tuple[str, ...]
    pointers: list[Pointer]
    note: str  # what was planted: "invoice total 12,000.00 printed as 12,100.00"
    severity: str = "error"  # what the rule reports on confident values ("info": a notice only)


DeclaredEdit = Callable[[dict[str, Any], dict[str, dict[str, Any]]], None]


@dataclass
class Plan:
    program: str
    seed: int
    sc: Scenario  # the deal
    submitted_on: dt.date
    today: dt.date  # the day the clerk checks it
    category: str | None  # declared 上云类别
    service: str | None  # Guangdong: the catalogue entry the voucher is for
    revenue: Decimal | None  # Guangdong: last year's main revenue, declared
    list_rows: list[dict[str, str]]  # a deployment list on which the deal passes
    docs: list[DocPlan]
    lists_fixed: bool = False  # the supplier comes from a given list (samples/lists)
    compact: bool = False  # small files (see COMPACT_PICTURE_DPI)
    declared_edits: list[DeclaredEdit] = field(default_factory=list)
    extra_contracts: list[dict[str, Any]] = field(default_factory=list)  # declared, not uploaded
    planted: Planted | None = None

    def doc(self, name: str) -> DocPlan:
        return next(d for d in self.docs if d.name == name)

    def has(self, name: str) -> bool:
        return any(d.name == name for d in self.docs)

    def drop(self, name: str) -> None:
        self.docs = [d for d in self.docs if d.name != name]

    def fork(self, name: str) -> Scenario:
        """The scenario of one document, made its own so that changing it leaves the
        deal (and every other document) as it was."""
        d = self.doc(name)
        if d.sc is None:
            d.sc = copy.deepcopy(self.sc)
        return d.sc

    def scenario(self, d: DocPlan) -> Scenario:
        return d.sc if d.sc is not None else self.sc

    def set_party(self, role: str, company: Company) -> None:
        """Another applicant or provider for the whole application (every document)."""
        for sc in [self.sc] + [d.sc for d in self.docs if d.sc is not None]:
            setattr(sc, role, company)


@dataclass
class Application:
    program: str
    seed: int
    files: dict[str, bytes]  # file name -> bytes, as uploaded
    documents: dict[str, dict[str, Any]]  # DocPlan name -> {doc_type, files, fields, scanned}
    declared: dict[str, Any]
    list_rows: list[dict[str, str]]
    expected_subsidy: Decimal | None  # under the program's formula (clean deals: exact)
    today: dt.date
    planted: Planted | None

    def file_of(self, doc: str) -> list[str]:
        return list(self.documents[doc]["files"]) if doc in self.documents else []

    def declared_json(self) -> str:
        return json.dumps(self.declared, ensure_ascii=False, indent=1) + "\n"


# --- policies ------------------------------------------------------------------------


@cache
def policy(program: str) -> dict[str, Any]:
    """The program's policy file as data (ratios, caps, dates)."""
    return yaml.safe_load((POLICY_DIR / f"{program}.yaml").read_text(encoding="utf-8"))


def rule_params(program: str, rule_id: str) -> dict[str, Any]:
    for r in policy(program)["rules"]:
        if r["id"] == rule_id:
            return dict(r.get("params") or {})
    raise KeyError(f"{program} has no rule {rule_id}")


def _d(x: Any) -> Decimal:
    return Decimal(str(x))


def _q(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _date(x: Any) -> dt.date:
    return x if isinstance(x, dt.date) else dt.date.fromisoformat(str(x))


def subsidy_for(program: str, contracts: list[dict[str, Any]], declared: dict[str, Any],
                list_rows: list[dict[str, str]]) -> Decimal | None:
    """The eligible subsidy from contract figures (document values, CONTRACT.md names),
    under the formula and numbers of the program's policy file. An independent
    re-statement of validators/rules/subsidy.py for generated deals (one supplier, the
    declared category and service) — not a second engine."""
    s = policy(program)["subsidy"]
    if not contracts:
        return None
    if s["formula"] == "annual_fee_ratio":
        on = _date(s["valid_on"]) if s.get("valid_on") else _date(declared["submitted_on"])
        current = [c for c in contracts
                   if _date(c["service_start"]) <= on <= _date(c["service_end"])]
        if not current:
            return Decimal("0.00")
        c = max(current, key=lambda c: (c["signed_on"], c["service_end"]))
        fee = c.get("annual_fee")
        if fee is None:
            days = (_date(c["service_end"]) - _date(c["service_start"])).days + 1
            if days > 366:
                return None
            fee = c["total_amount"]
        return min(_q(_d(fee) * _d(s["ratio"])), _d(s["cap"]))
    if s["formula"] == "category_ratio":
        by_year: dict[int, Decimal] = {}
        for c in contracts:
            cat = _declared_for(c, declared).get("category")
            if cat is None:
                return None
            ratio = _d(s["ratios"][cat]) if cat in s["ratios"] else Decimal(0)
            year = _date(c["signed_on"]).year
            by_year[year] = by_year.get(year, Decimal("0.00")) + _q(_d(c["total_amount"]) * ratio)
        cap = _d(s["cap_per_year"])
        return sum((min(v, cap) for v in by_year.values()), Decimal("0.00"))
    if s["formula"] == "contract_ratio":
        first = min(contracts, key=lambda c: c["signed_on"])
        return min(_q(_d(first["total_amount"]) * _d(s["ratio"])), _d(s["cap"]))
    if s["formula"] == "catalogue_min":
        supplier = declared.get("supplier") or {}
        rows = [r for r in list_rows if r.get("credit_code") == supplier.get("credit_code")]
        total = Decimal("0.00")
        for c in contracts:
            decl = _declared_for(c, declared)
            fee = c.get("cloud_fee") or decl.get("cloud_fee")
            if fee is None:
                return None
            if not rows:
                continue
            caps = {r["cap"] for r in rows if r.get("service") == decl.get("service")}
            if len(caps) != 1:
                return None
            total += min(_d(caps.pop()), _d(fee))
        return total  # the +bonus needs a 两化融合 certification no generated applicant declares
    raise ValueError(f"unknown formula {s['formula']}")


def _declared_for(contract: dict[str, Any], declared: dict[str, Any]) -> dict[str, Any]:
    """The declared entry of a contract: by number, else the last one typed."""
    decls = declared.get("contracts") or []
    number = contract.get("contract_number")
    return next((c for c in decls if number and c.get("number") == number),
                decls[-1] if decls else {})


# --- building the deal ---------------------------------------------------------------


def _region_of(code: str, fallback: Region) -> Region:
    """The region a credit code was issued in (its division code), as near as the
    generator's region table goes."""
    every = [r for rs in REGIONS.values() for r in rs]
    for n in (6, 4, 2):
        hit = [r for r in every if r.code[:n] == code[2:2 + n]]
        if hit:
            return hit[0]
    return fallback


def with_identity(c: Company, name: str, code: str, rng: random.Random) -> Company:
    """``c`` renamed to a given company (a listed provider): its region follows the code."""
    region = _region_of(code, c.region)
    if region == c.region:
        return replace(c, name=name, credit_code=code)
    return replace(c, name=name, credit_code=code, region=region, address=address(rng, region),
                   phone=phone(rng, region))


def _price(sc: Scenario, rng: random.Random, lines: list[ServiceLine]) -> None:
    """Annual fee, total and cloud fee from the service lines (as make_scenario does)."""
    annual = sum((ln.yearly for ln in lines), Decimal(0))
    if rng.random() < 0.6:
        annual = money(max(1000, round(annual / 1000) * 1000))
    sc.services = lines
    sc.annual_fee = max(money(annual), money(5000))
    sc.total = money(sc.annual_fee * sc.years)
    if sc.cloud_fee is not None:
        share = Decimal(rng.choice(["1", "0.9", "0.85", "0.8"]))
        sc.cloud_fee = money(round(sc.total * share / 100) * 100)


def reschedule(sc: Scenario, rng: random.Random, signed: dt.date, years: int,
               latest_paid: dt.date | None = None) -> None:
    """Contract dates, invoice and payment dates for a contract signed on ``signed``;
    the amounts follow the number of years."""
    start = signed + dt.timedelta(days=rng.choice([0, 1, 3, 7, 10, 14, 30]))
    if rng.random() < 0.4:  # many contracts start on the first of a month
        start = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    end = add_years(start, years) - dt.timedelta(days=1)
    share = (sc.cloud_fee / sc.total) if sc.cloud_fee is not None and sc.total else None
    sc.signed_on, sc.service_start, sc.service_end, sc.years = signed, start, end, years
    sc.total = money(sc.annual_fee * years)
    if share is not None:
        sc.cloud_fee = money(round(sc.total * share / 100) * 100)
    invoice = random_date(rng, signed, min(start + dt.timedelta(days=60), end))
    paid = max(signed, invoice + dt.timedelta(days=rng.randint(-5, 20)))
    if latest_paid is not None:
        invoice, paid = min(invoice, latest_paid), min(paid, latest_paid)
    sc.invoice_date, sc.paid_on = invoice, paid


def _one_category(sc: Scenario, rng: random.Random) -> str:
    """Inner Mongolia pays by category: the deal's services all of one category."""
    cats = [ln.category for ln in sc.services if ln.category in IM_CATEGORIES]
    cat = cats[0] if cats else rng.choice(IM_CATEGORIES)
    pool = [s for s in SERVICES if s[2] == cat]
    picks = rng.sample(pool, rng.choice((1, 1, 2, 3)))
    lines = [ServiceLine(n, item, c, money(round(price * rng.choice([0.5, 1, 1, 1.5, 2, 3]) / 100)
                                          * 100)) for n, item, c, price in picks]
    _price(sc, rng, lines)
    return cat


def main_category(sc: Scenario) -> str:
    totals: dict[str, Decimal] = {}
    for ln in sc.services:
        totals[ln.category] = totals.get(ln.category, Decimal(0)) + ln.yearly
    return max(totals, key=lambda k: (totals[k], k))


def make_plan(program: str, seed: int, *, provider: dict[str, str] | None = None,
              scanned_share: float = 0.0, cloud_fee: bool | None = None,
              old_licence_share: float = 0.1, compact: bool = False) -> Plan:
    """The clean application of ``program`` drawn from ``seed``.

    ``provider``: a deployment-list row (name, credit_code, and filed_on / service / cap
    where the program's list has them) to take as the supplier; otherwise one is made
    up and ``Plan.list_rows`` is a list it is on. ``scanned_share``: chance that each
    of contract, invoice, receipt and form is a paper scan rather than a text-layer
    PDF (licences and ID cards are always scans). ``cloud_fee``: force whether the
    contract states a 上云上平台费用 (Guangdong's always do).
    """
    if program not in PROGRAMS:
        raise ValueError(f"program {program!r} not in {PROGRAMS}")
    rng = random.Random(f"application:{program}:{seed}")
    sc = make_scenario(rng, program)
    if cloud_fee is not None and program != GUANGDONG:
        share = Decimal(rng.choice(["1", "0.9", "0.85"]))
        sc.cloud_fee = money(round(sc.total * share / 100) * 100) if cloud_fee else None
    if provider:
        sc.provider = with_identity(sc.provider, provider["name"], provider["credit_code"], rng)
    category = service = None
    revenue = None
    rows: list[dict[str, str]] = []
    if program == HEBEI:
        # first contract by 08-31 and still in service on 11-30: one contract does both
        signed = random_date(rng, dt.date(2016, 6, 1), dt.date(2018, 8, 31))
        need = dt.date(2018, 11, 30)
        years = [y for y in (1, 2, 3) if add_years(signed, y) - dt.timedelta(days=1) >= need]
        submitted = random_date(rng, dt.date(2018, 11, 28), dt.date(2018, 12, 7))
        reschedule(sc, rng, signed, rng.choice(years), latest_paid=submitted - dt.timedelta(days=2))
        category = main_category(sc)
    elif program == MONGOLIA:
        category = _one_category(sc, rng)
        reschedule(sc, rng, sc.signed_on, sc.years)
        submitted = max(sc.paid_on, sc.invoice_date) + dt.timedelta(days=rng.randint(3, 60))
    elif program == YICHUN:
        if provider and provider.get("filed_on"):
            filed = dt.date.fromisoformat(provider["filed_on"])
            signed = random_date(rng, max(filed + dt.timedelta(days=1), dt.date(2023, 1, 5)),
                                 dt.date(2024, 6, 30))
        else:
            signed = sc.signed_on
        reschedule(sc, rng, signed, sc.years)
        submitted = max(sc.paid_on, sc.invoice_date) + dt.timedelta(days=rng.randint(5, 90))
    else:  # guangdong
        reschedule(sc, rng, sc.signed_on, sc.years)
        submitted = max(sc.paid_on, sc.invoice_date) + dt.timedelta(days=rng.randint(5, 60))
        revenue = money(rng.randint(105, 3000) * 100000)
        if provider and provider.get("service"):
            service = provider["service"]
        else:
            service = rng.choice(CATALOGUE)[0]
    today = submitted + dt.timedelta(days=rng.randint(3, 30))

    # the deployment list on which this deal passes
    if not provider:
        row = {"name": sc.provider.name, "credit_code": sc.provider.credit_code}
        if program == YICHUN:
            row["filed_on"] = (sc.signed_on - dt.timedelta(days=rng.randint(1, 200))).isoformat()
        if program == GUANGDONG:
            caps = dict(CATALOGUE)
            others = [s for s, _ in CATALOGUE if s != service]
            rows.append({**row, "service": service, "cap": caps[service]})
            extra = rng.choice(others)
            rows.append({**row, "service": extra, "cap": caps[extra]})
        else:
            rows.append(row)
    else:
        rows.append(dict(provider))

    docs = [DocPlan("licence", "business_licence",
                    "old" if program == HEBEI and rng.random() < old_licence_share else "new",
                    scanned=True)]

    def scanned() -> bool:
        return rng.random() < scanned_share

    s = scanned()
    docs.append(DocPlan("contract", "contract", "paper" if s else "pdf", s))
    s = scanned()
    paper = rng.choice(["special", "ordinary"])
    digital = "digital" if program == YICHUN and rng.random() < 0.5 else "electronic"
    docs.append(DocPlan("invoice", "vat_invoice", paper if s else digital, s))
    s = scanned()
    docs.append(DocPlan("receipt", "payment_receipt", "counter" if s else "online", s))
    if program == HEBEI:
        docs.append(DocPlan("form", "application_form", "declaration", scanned()))
    if program == YICHUN:
        docs.append(DocPlan("form", "application_form", "yichun_payout", scanned()))
    if program == MONGOLIA:
        docs.append(DocPlan("idcard", "id_card", "front_back", scanned=True))
    sc.extra["has_seal"] = True  # an unsealed contract is a defect of its own
    plan = Plan(program, seed, sc, submitted, today, category, service, revenue, rows, docs,
                lists_fixed=provider is not None, compact=compact)
    sc.requested = deal_subsidy(plan)
    if program == GUANGDONG and sc.annual_fee < sc.requested:
        # invoices and payments must reach the voucher: a first-year invoice may not
        for name in ("invoice", "receipt"):
            plan.fork(name).annual_fee = sc.total
    return plan


def deal_subsidy(plan: Plan) -> Decimal:
    """What the clean deal earns (the requested amount on its forms)."""
    sc = plan.sc
    contract = {"signed_on": sc.signed_on.isoformat(), "service_start": sc.service_start.isoformat(),
                "service_end": sc.service_end.isoformat(), "total_amount": f"{sc.total:.2f}",
                "annual_fee": f"{sc.annual_fee:.2f}",
                "cloud_fee": f"{sc.cloud_fee:.2f}" if sc.cloud_fee is not None else None}
    declared = {"submitted_on": plan.submitted_on.isoformat(),
                "supplier": {"name": sc.provider.name, "credit_code": sc.provider.credit_code},
                "contracts": [{"category": plan.category, "service": plan.service,
                               "cloud_fee": contract["cloud_fee"]}]}
    amount = subsidy_for(plan.program, [contract], declared, plan.list_rows)
    assert amount is not None, "a clean deal always has a computable subsidy"
    return amount


# --- rendering -----------------------------------------------------------------------


def _rng(plan: Plan, d: DocPlan, attempt: int = 0) -> random.Random:
    return random.Random(f"application:{plan.program}:{plan.seed}:{d.name}:{attempt}")


def _licence_ok(fields: dict[str, Any], plan: Plan, mode: str) -> bool:
    on = plan.submitted_on.isoformat()
    if fields["issued_on"] > on:
        return False
    end = fields.get("term_end")
    if mode == "expired":
        return end is not None and end < on
    return end is None or end >= on


def _render_licence(plan: Plan, d: DocPlan) -> tuple[Rendered, random.Random]:
    """The first draw whose dates fit (issued by the application date; in force on it,
    or expired when that is the defect). Licence dates are drawn inside the renderer,
    so the draw is repeated rather than the renderer changed."""
    sc = plan.scenario(d)
    formats = [d.fmt] if d.licence == "valid" else [d.fmt, "old"]
    for attempt in range(2000):
        rng = _rng(plan, d, attempt)
        fmt = formats[attempt % len(formats)]
        company = copy.deepcopy(d.company or sc.applicant)  # old licences move its founding
        r = render_licence.render(rng, sc, fmt, "simplified", company=company)
        if _licence_ok(r.fields, plan, d.licence):
            return r, rng
    raise RuntimeError(f"no licence draw fits {d.licence} for {plan.program}:{plan.seed}")


def _render(plan: Plan, d: DocPlan) -> tuple[Rendered, random.Random]:
    if d.doc_type == "business_licence":
        return _render_licence(plan, d)
    rng = _rng(plan, d)
    sc = plan.scenario(d)
    if d.doc_type == "vat_invoice":
        inv = make_invoice(rng, sc, d.fmt)
        if d.invoice_edit is not None:
            inv = d.invoice_edit(inv)
        return render_invoice.render_data(rng, inv, d.fmt, "simplified"), rng
    renderer = {"contract": render_contract.render, "payment_receipt": render_receipt.render,
                "application_form": render_application.render,
                "id_card": render_idcard.render}[d.doc_type]
    return renderer(rng, sc, d.fmt, "simplified"), rng


def _file_names(d: DocPlan, r: Rendered) -> list[str]:
    """The names ``_package`` gives the document's files (without making them)."""
    if d.damage == "illegible":
        return [f"{d.name}.jpg"]
    if (r.digital or d.doc_type == "application_form") and not d.scanned:
        return [f"{d.name}.pdf"]
    if r.page_names:
        return [f"{d.name}-{n}.jpg" for n in r.page_names]
    pages = len(r.pages) if r.pages is not None else len(r.sheets)
    return [f"{d.name}.jpg" if pages == 1 else f"{d.name}.pdf"]


def _package(d: DocPlan, r: Rendered, rng: random.Random, compact: bool) -> dict[str, bytes]:
    """Files as uploaded: a text-layer PDF for born-digital documents, else a compact
    scan (one JPEG per single page, a scanned PDF for several pages)."""
    if d.damage == "illegible":
        return {f"{d.name}.jpg": _illegible(page_images(r)[0])}
    if d.doc_type == "application_form":
        r.digital = not d.scanned  # typed in Word: sent as its PDF, or printed, stamped, scanned
    if r.digital and not d.scanned:
        if compact:
            pdf = sheets_to_pdf(r.sheets, r.pdf_info, picture_dpi=COMPACT_PICTURE_DPI,
                                cid_font=True)
        else:
            pdf = sheets_to_pdf(r.sheets, r.pdf_info)
        return {f"{d.name}.pdf": pdf}
    dpi = SCAN_DPI[d.doc_type]
    q = COMPACT_JPEG_QUALITY if compact else JPEG_QUALITY
    severity = round(rng.uniform(0.15, 0.45), 2)
    pages = [degrade.scan_page(p, rng, severity, dpi_in=300, dpi_out=dpi)[0]
             for p in page_images(r)]
    if r.page_names:
        return {f"{d.name}-{n}.jpg": degrade.encode_jpeg(p, q, dpi=dpi)
                for n, p in zip(r.page_names, pages)}
    if len(pages) == 1:
        return {f"{d.name}.jpg": degrade.encode_jpeg(pages[0], q, dpi=dpi)}
    return {f"{d.name}.pdf": images_to_pdf(pages, dpi, quality=q)}


def _illegible(page: Image.Image) -> bytes:
    """A phone shot too small and shaken to read: what 清晰可辨认 rules out."""
    small = page.convert("RGB").resize((max(1, page.width // 7), max(1, page.height // 7)),
                                      Image.Resampling.BILINEAR)
    blurred = small.filter(ImageFilter.GaussianBlur(1.6))
    return degrade.encode_jpeg(blurred.resize((page.width // 2, page.height // 2)), 55, dpi=150)


def render_plan(plan: Plan, *, files_too: bool = True) -> Application:
    """Render every document. ``files_too=False`` skips making the files (their names
    are kept, their bytes empty): the truth alone, several times faster, for tests of
    the checks that need no extraction."""
    files: dict[str, bytes] = {}
    documents: dict[str, dict[str, Any]] = {}
    for d in plan.docs:
        r, rng = _render(plan, d)
        if not d.uploaded:
            out: dict[str, bytes] = {}
        elif files_too:
            out = _package(d, r, rng, plan.compact)
            assert sorted(out) == sorted(_file_names(d, r)), (sorted(out), _file_names(d, r))
        else:
            out = {n: b"" for n in _file_names(d, r)}
        if d.damage == "truncated":  # an upload cut off half way
            out = {n: b[: len(b) // 3] for n, b in out.items()}
        files.update(out)
        documents[d.name] = {"doc_type": d.doc_type, "files": sorted(out), "fields": r.fields,
                             "scanned": d.scanned or d.doc_type in ("business_licence", "id_card"),
                             "damage": d.damage, "in_declaration": d.in_declaration,
                             "uploaded": d.uploaded, "qr": r.variant.get("qr_payload")}
    declared = build_declared(plan, documents)
    for edit in plan.declared_edits:
        edit(declared, documents)
    contracts = [v["fields"] for v in documents.values()
                 if v["doc_type"] == "contract" and v["in_declaration"]]
    expected = subsidy_for(plan.program, contracts, declared, plan.list_rows)
    return Application(plan.program, plan.seed, files, documents, declared, plan.list_rows,
                       expected, plan.today, plan.planted)


def build_declared(plan: Plan, documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What the applicant typed: the deal's parties, and every figure as the documents
    they upload show it."""
    sc = plan.sc
    a, p = sc.applicant, sc.provider

    def fields_of(doc_type: str) -> list[dict[str, Any]]:
        return [v["fields"] for v in documents.values()
                if v["doc_type"] == doc_type and v["in_declaration"]]

    licences = [f for f in fields_of("business_licence") if f["company_name"] == a.name]
    established = licences[0]["established_on"] if licences else a.established.isoformat()
    out: dict[str, Any] = {
        "program": plan.program,
        "submitted_on": plan.submitted_on.isoformat(),
        "applicant": {"name": a.name, "credit_code": a.credit_code, "region": a.region.city,
                      "established_on": established},
        "supplier": {"name": p.name, "credit_code": p.credit_code},
    }
    if plan.revenue is not None:
        out["applicant"]["revenue_last_year"] = f"{plan.revenue:.2f}"
    contracts = []
    for f in fields_of("contract"):
        c: dict[str, Any] = {"number": f["contract_number"], "signed_on": f["signed_on"],
                             "service_start": f["service_start"], "service_end": f["service_end"],
                             "amount": f["total_amount"]}
        for k in ("cloud_fee", "annual_fee"):
            if k in f:
                c[k] = f[k]
        if plan.category:
            c["category"] = plan.category
        if plan.service:
            c["service"] = plan.service
        contracts.append(c)
    out["contracts"] = plan.extra_contracts + contracts
    out["invoices"] = [{"number": f["invoice_number"], "total": f["total"]}
                       for f in fields_of("vat_invoice")]
    out["payments"] = [{"amount": f["amount"], "paid_on": f["paid_on"]}
                       for f in fields_of("payment_receipt")]
    out["requested_subsidy"] = f"{sc.requested:.2f}"
    return out


def generate_application(program: str, seed: int, *, defect: str | None = None,
                         provider: dict[str, str] | None = None, scanned_share: float = 0.0,
                         files_too: bool = True, **plan_kw: Any) -> Application:
    """One application of ``program`` from ``seed``: clean, or with one planted defect
    (a ``samplegen.defects.KINDS`` name)."""
    plan = make_plan(program, seed, provider=provider, scanned_share=scanned_share, **plan_kw)
    if defect is not None:
        from samplegen.defects import plant
        plant(plan, defect)
    return render_plan(plan, files_too=files_too)
