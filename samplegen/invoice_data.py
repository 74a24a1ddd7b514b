"""The content of one VAT invoice: numbers, parties, item lines, amounts, QR payload.

Code and number layouts follow the real ones: paper 专用发票 10-digit 发票代码
(region, year, batch), paper 普通发票 and 电子普通发票 12-digit codes starting with 0
and ending 04/05 (paper) or 11/12 (electronic), 8-digit 发票号码; 数电票 have no code
and a 20-digit number. The QR payload is ``01,<kind>,<code>,<number>,<amount>,
<YYYYMMDD>,<check code>,<crc>,``; kinds 01 special, 04 ordinary, 10 electronic,
31/32 数电 special/ordinary. As on real 数电票, their amount field is the total with
tax and their code and check-code fields are empty.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from samplegen.fakedata import Company, Scenario, person_name
from samplegen.textfmt import date_norm, money, money_norm, rmb_upper

KIND_CODE = {"special": "01", "ordinary": "04", "electronic": "10",
             "digital_special": "31", "digital_ordinary": "32"}

# invoice region code (4 digits) by province short name; 深圳 prints its own
_INVOICE_REGION = {"河北": "1300", "内蒙古": "1500", "黑龙江": "2300", "广东": "4400",
                   "北京": "1100", "浙江": "3300", "上海": "3100", "深圳": "4403"}
_PROVINCE_NUM = {"1300": "13", "1500": "15", "2300": "23", "4400": "44", "4403": "44",
                 "1100": "11", "3300": "33", "3100": "31"}


@dataclass
class Item:
    name: str
    spec: str
    unit: str
    qty: str
    price: str
    amount: Decimal
    rate: str  # "6%"
    tax: Decimal


@dataclass
class InvoiceData:
    kind: str  # special / ordinary / electronic / digital
    sub: str  # KIND_CODE key
    province: str  # as in the title: 河北, 深圳 ...
    code: str  # "" for 数电票
    number: str
    issued: dt.date
    check_code: str  # 20 digits or ""
    machine_no: str
    buyer: Company
    seller: Company
    buyer_details: bool  # address/bank lines filled for the buyer
    items: list[Item]
    amount: Decimal
    tax: Decimal
    total: Decimal
    words: str  # 大写 as printed
    cipher: list[str]  # 密码区 rows
    remarks: str
    payee: str
    reviewer: str
    drawer: str
    crc: str

    @property
    def qr_payload(self) -> str:
        kc = KIND_CODE[self.sub]
        if self.kind == "digital":
            return f"01,{kc},,{self.number},{self.total:.2f},{self.issued:%Y%m%d},,{self.crc}"
        return (f"01,{kc},{self.code},{self.number},{self.amount:.2f},{self.issued:%Y%m%d},"
                f"{self.check_code},{self.crc},")

    @property
    def title(self) -> str:
        if self.kind == "digital":
            return "电子发票（增值税专用发票）" if self.sub == "digital_special" \
                else "电子发票（普通发票）"
        return {"special": f"{self.province}增值税专用发票",
                "ordinary": f"{self.province}增值税普通发票",
                "electronic": f"{self.province}增值税电子普通发票"}[self.kind]

    def truth(self) -> dict:
        f: dict = {"invoice_kind": self.kind}
        if self.code:
            f["invoice_code"] = self.code
        f.update({
            "invoice_number": self.number,
            "issued_on": date_norm(self.issued),
            "buyer_name": self.buyer.name,
            "buyer_tax_id": self.buyer.credit_code,
            "seller_name": self.seller.name,
            "seller_tax_id": self.seller.credit_code,
            "amount_excl_tax": money_norm(self.amount),
            "tax_amount": money_norm(self.tax),
            "total": money_norm(self.total),
            "total_in_words": self.words,
            "items": [{"name": it.name, "amount": money_norm(it.amount), "tax_rate": it.rate,
                       "tax": money_norm(it.tax)} for it in self.items],
        })
        if self.check_code:
            f["check_code"] = self.check_code
        return f


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def _software_rate(d: dt.date) -> str:
    return "17%" if d < dt.date(2018, 5, 1) else "16%" if d < dt.date(2019, 4, 1) else "13%"


def _split(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights``, to the cent, summing exactly."""
    s = sum(weights)
    parts = [money(total * w / s) for w in weights[:-1]]
    return parts + [total - sum(parts, Decimal(0))]


def make_invoice(rng: random.Random, sc: Scenario, kind: str) -> InvoiceData:
    seller, buyer = sc.provider, sc.applicant
    issued = sc.invoice_date
    if kind == "digital" and issued < dt.date(2022, 1, 1):  # 数电票 exist from 2022 on
        issued = dt.date(2023, rng.randint(1, 12), rng.randint(1, 28))
    province = "深圳" if seller.region.city == "深圳市" else seller.region.short
    region4 = _INVOICE_REGION[province]
    yy = f"{issued.year % 100:02d}"
    sub = kind
    if kind == "special":
        code = region4 + yy + str(rng.randint(1, 4)) + "130"
    elif kind == "ordinary":
        code = "0" + region4 + yy + f"{rng.randint(1, 9):03d}" + rng.choice(["04", "05"])
    elif kind == "electronic":
        code = "0" + region4 + yy + f"{rng.randint(1, 9):03d}" + rng.choice(["11", "12"])
    else:
        code = ""
        sub = rng.choice(["digital_special", "digital_ordinary"])
    number = (yy + _PROVINCE_NUM[region4] + "2000000" + _digits(rng, 9)) if kind == "digital" \
        else _digits(rng, 8)
    check = "" if kind in ("special", "digital") else _digits(rng, 20)

    # the invoice covers the whole contract or its first year
    total = sc.total if sc.years == 1 or rng.random() < 0.5 else sc.annual_fee
    small_scale = kind in ("ordinary", "electronic") and rng.random() < 0.25
    lines = sc.services if len(sc.services) > 1 and rng.random() < 0.7 else sc.services[:1]
    shares = _split(total, [ln.yearly for ln in lines]) if len(lines) > 1 else [total]
    items = []
    for ln, share in zip(lines, shares):
        rate = "3%" if small_scale else (_software_rate(issued) if ln.item.startswith("*软件*")
                                         else "6%")
        r = Decimal(rate.rstrip("%")) / 100
        amount = money(share / (1 + r))
        tax = share - amount
        name = ln.item if len(lines) > 1 or rng.random() < 0.6 else \
            rng.choice(["*信息技术服务*云服务费", "*信息技术服务*技术服务费", "*现代服务*服务费"])
        if issued < dt.date(2017, 7, 1):  # before tax classification codes were printed
            name = name.split("*")[-1]
        unit, qty = rng.choice([("年", str(sc.years if total == sc.total else 1)), ("项", "1"),
                                ("套", "1"), ("月", str(12 * (sc.years if total == sc.total else 1)))])
        price = amount / Decimal(qty)
        price_s = f"{price:.8f}".rstrip("0").rstrip(".") if rng.random() < 0.6 else f"{price:.2f}"
        spec = rng.choice(["", "", "标准版", "企业版", "4核8G", "1年"])
        items.append(Item(name, spec, unit, qty, price_s, amount, rate, tax))
    amount = sum((it.amount for it in items), Decimal(0))
    tax = sum((it.tax for it in items), Decimal(0))
    yuan = "圆" if kind in ("special", "ordinary", "digital") or rng.random() < 0.5 else "元"
    cipher_chars = "0123456789+-*/<>"
    remarks = rng.choice(["", "", f"合同编号：{sc.contract_number}",
                          f"服务期：{sc.service_start:%Y.%m.%d}-{sc.service_end:%Y.%m.%d}"])
    return InvoiceData(
        kind=kind, sub=sub, province=province, code=code, number=number, issued=issued,
        check_code=check, machine_no=_digits(rng, 12), buyer=buyer, seller=seller,
        buyer_details=kind == "special" or rng.random() < 0.5, items=items, amount=amount,
        tax=tax, total=amount + tax, words=rmb_upper(amount + tax, yuan=yuan),
        cipher=["".join(rng.choice(cipher_chars) for _ in range(27)) for _ in range(4)],
        remarks=remarks, payee=person_name(rng), reviewer=person_name(rng),
        drawer=person_name(rng), crc=f"{rng.getrandbits(16):04X}")
