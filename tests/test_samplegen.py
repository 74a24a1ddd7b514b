"""The sample generator: deterministic, truth in CONTRACT.md's names and normal forms,
valid codes, consistent invoice arithmetic, QR codes and text layers that say the
same as the truth, quick enough to make hundreds of documents."""

from __future__ import annotations

import io
import re
import time
from decimal import Decimal
from pathlib import Path

import cn2an
import opencc
import pdfplumber
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image, ImageOps
from stdnum.cn import ric, uscc
from stdnum.iso7064 import mod_11_10

from samplegen import DOC_TYPES, FORMAT_WEIGHTS, generate, generate_bundle, generate_set
from intake.model import CONTRACT_FIELDS

ROOT = Path(__file__).resolve().parent.parent
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONEY = re.compile(r"^-?\d+\.\d{2}$")
DATE_FIELDS = {"established_on", "term_start", "term_end", "issued_on", "signed_on",
               "service_start", "service_end", "paid_on"}
MONEY_FIELDS = {"registered_capital", "total_amount", "cloud_fee", "annual_fee",
                "amount_excl_tax", "tax_amount", "total", "amount", "contract_amount",
                "requested_amount", "total_payout"}
NAME_FIELDS = {"company_name", "party_a_name", "party_b_name", "buyer_name", "seller_name",
               "payer_name", "payee_name", "provider_name"}


def _cheap(doc_type: str, fmt: str, seed: int = 3, **kw):
    return generate(doc_type, seed, fmt=fmt, compact=True, **kw)


@pytest.fixture(scope="module")
def every_format() -> list:
    """One clean document of every type and format (the cheap path: no photo)."""
    return [_cheap(t, f) for t in DOC_TYPES for f in FORMAT_WEIGHTS[t]]


@pytest.fixture(scope="module")
def twenty() -> tuple[list, float]:
    """A generated set of 20 and the CPU seconds it took (wall time depends on the
    machine's load; CPU time is what the generator costs)."""
    t = time.process_time()
    docs = list(generate_set(20, 2024, compact=True))
    return docs, time.process_time() - t


def _contract_md_fields() -> dict[str, set[str]] | None:
    """Backticked names in CONTRACT.md's field table, when the file is at hand."""
    for p in (ROOT / "docs" / "CONTRACT.md", ROOT / "CONTRACT.md", ROOT.parent / "shared" / "CONTRACT.md"):
        if p.exists():
            out: dict[str, set[str]] = {}
            for line in p.read_text(encoding="utf-8").splitlines():
                m = re.match(r"^\|\s*`(\w+)`[^|]*\|(.*)\|\s*$", line)
                if m:
                    out[m.group(1)] = set(re.findall(r"`(\w+)`", m.group(2)))
            return out
    return None


# --- determinism ----------------------------------------------------------------------------

@pytest.mark.parametrize("doc_type,fmt,level", [
    ("vat_invoice", "special", "scan"), ("vat_invoice", "electronic", "clean"),
    ("contract", "pdf", "clean"), ("business_licence", "old", "photo"),
    ("id_card", "front_back", "seal_heavy"),
])
def test_same_seed_same_bytes_and_truth(doc_type, fmt, level):
    a = _cheap(doc_type, fmt, degrade=level)
    b = _cheap(doc_type, fmt, degrade=level)
    assert a.files == b.files
    assert a.truth_json() == b.truth_json()
    c = generate(doc_type, 4, fmt=fmt, degrade=level, compact=True)
    assert c.fields != a.fields


def test_generate_set_is_deterministic_and_mixed(twenty):
    docs, _ = twenty
    again = list(generate_set(3, 2024, compact=True))
    assert [(d.name, d.files, d.truth_json()) for d in again] == \
        [(d.name, d.files, d.truth_json()) for d in docs[:3]]
    assert len({d.doc_type for d in docs}) >= 4
    assert len({d.variant["degradation"]["level"] for d in docs}) >= 3


# --- truth format ------------------------------------------------------------------------------

def test_contract_field_list_matches_contract_md():
    md = _contract_md_fields()
    if md is None:
        pytest.skip("CONTRACT.md not found next to the repository")
    for doc_type, names in CONTRACT_FIELDS.items():
        assert set(names) <= md[doc_type], doc_type


def test_truth_fields_are_contract_names_in_normal_form(every_format):
    conv = opencc.OpenCC("t2s")
    for doc in every_format:
        assert set(doc.fields) <= set(CONTRACT_FIELDS[doc.doc_type]), doc.name
        assert doc.fields, doc.name
        for k, v in doc.fields.items():
            if k in DATE_FIELDS:
                assert DATE.match(v), (doc.name, k, v)
            if k in MONEY_FIELDS:
                assert MONEY.match(v), (doc.name, k, v)
            if k in NAME_FIELDS:
                assert " " not in v and "(" not in v and ")" not in v, (doc.name, k, v)
                assert conv.convert(v) == v, (doc.name, k, v)
        for item in doc.fields.get("items", []):
            assert set(item) == {"name", "amount", "tax_rate", "tax"}
        for row in doc.fields.get("rows", []):
            assert set(row) == {"company_name", "services", "contract_term", "contract_amount",
                                "payout_amount"}
            assert re.match(r"^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$", row["contract_term"])
        assert doc.variant["degradation"]["level"] == "clean"


def test_codes_have_valid_check_digits(every_format, twenty):
    seen = 0
    for doc in list(every_format) + twenty[0]:
        for k, v in doc.fields.items():
            if k.endswith("credit_code") or k.endswith("tax_id"):
                assert uscc.is_valid(v) and v == v.upper(), (doc.name, k, v)
                seen += 1
            if k == "registration_number":
                assert len(v) == 15 and mod_11_10.is_valid(v), (doc.name, v)
                seen += 1
            if k == "id_number":
                assert ric.is_valid(v), (doc.name, v)
                seen += 1
    assert seen > 10


def test_invoice_arithmetic_and_words():
    for seed in range(4):
        for fmt in ("electronic", "digital") if seed else FORMAT_WEIGHTS["vat_invoice"]:
            f = generate("vat_invoice", seed, fmt=fmt, compact=True).fields
            amount, tax, total = (Decimal(f[k]) for k in ("amount_excl_tax", "tax_amount", "total"))
            assert amount + tax == total
            assert sum(Decimal(i["amount"]) for i in f["items"]) == amount
            assert sum(Decimal(i["tax"]) for i in f["items"]) == tax
            words = f["total_in_words"]
            assert Decimal(str(cn2an.cn2an(words.replace("圆", "元"), "smart"))) == total, words
            assert ("invoice_code" in f) == (fmt != "digital")
            assert ("check_code" in f) == (fmt in ("ordinary", "electronic"))
            n = f["invoice_number"]
            assert len(n) == (20 if fmt == "digital" else 8) and n.isdigit()


def test_contract_amounts_and_terms():
    for seed in range(5):
        f = generate("contract", seed, fmt="pdf").fields
        assert Decimal(str(cn2an.cn2an(f["total_amount_in_words"], "smart"))) == Decimal(f["total_amount"])
        assert f["signed_on"] <= f["service_start"] < f["service_end"]
        assert isinstance(f["has_seal"], bool) and f["services"]


def test_payout_rows_add_up():
    for seed in range(4):
        f = generate("application_form", seed, fmt="yichun_payout").fields
        assert sum(Decimal(r["payout_amount"]) for r in f["rows"]) == Decimal(f["total_payout"])
        for r in f["rows"]:
            assert Decimal(r["payout_amount"]) == min(Decimal(r["contract_amount"]) / 2, Decimal(100000))


# --- what the files say ------------------------------------------------------------------------

def _pdf_images(data: bytes, scale: float = 300 / 72) -> list[Image.Image]:
    doc = pdfium.PdfDocument(data)
    return [doc[i].render(scale=scale).to_pil() for i in range(len(doc))]


def _image(data: bytes) -> Image.Image:
    return ImageOps.exif_transpose(Image.open(io.BytesIO(data)))


def _qr_fields(f: dict, payload: str) -> None:
    parts = payload.split(",")
    assert parts[0] == "01"
    kind = f["invoice_kind"]
    assert parts[1] == {"special": "01", "ordinary": "04", "electronic": "10"}.get(kind, parts[1])
    assert parts[2] == f.get("invoice_code", "")
    assert parts[3] == f["invoice_number"]
    assert parts[4] == (f["total"] if kind == "digital" else f["amount_excl_tax"])
    assert parts[5] == f["issued_on"].replace("-", "")
    assert parts[6] == f.get("check_code", "")


@pytest.mark.parametrize("fmt", ["special", "ordinary", "electronic", "digital"])
def test_invoice_qr_decodes_to_truth(fmt):
    doc = generate("vat_invoice", 5, fmt=fmt, degrade="clean")
    (name, data), = doc.files.items()
    img = _pdf_images(data)[0] if name.endswith(".pdf") else _image(data)
    codes = [b.text for b in zxingcpp.read_barcodes(img)]
    assert codes, name
    _qr_fields(doc.fields, codes[0])
    assert codes[0] == doc.variant["qr_payload"]


def test_invoice_qr_survives_a_scan():
    doc = generate("vat_invoice", 8, fmt="special", degrade="scan", compact=True)
    (name, data), = doc.files.items()
    img = _pdf_images(data)[0] if name.endswith(".pdf") else _image(data)
    codes = [b.text for b in zxingcpp.read_barcodes(img)]
    assert codes and codes[0] == doc.variant["qr_payload"]


@pytest.mark.parametrize("doc_type,fmt,name_field", [
    ("vat_invoice", "electronic", "seller_name"), ("vat_invoice", "digital", "buyer_name"),
    ("contract", "pdf", "party_b_name"), ("payment_receipt", "online", "payer_name"),
    ("application_form", "yichun_payout", "provider_name"),
])
def test_digital_pdfs_have_a_text_layer(doc_type, fmt, name_field):
    doc = generate(doc_type, 9, fmt=fmt)
    (name, data), = doc.files.items()
    assert name.endswith(".pdf")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    compact = re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")
    assert doc.fields[name_field] in compact


def test_traditional_script_prints_traditional_truth_stays_simplified():
    doc = generate("contract", 2, fmt="pdf", script="traditional")
    (_, data), = doc.files.items()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = re.sub(r"\s+", "", pdf.pages[0].extract_text())
    trad = opencc.OpenCC("s2hk").convert(doc.fields["party_a_name"])
    assert trad != doc.fields["party_a_name"] and trad.replace("(", "（") in text.replace("(", "（")
    assert opencc.OpenCC("hk2s").convert(trad) == doc.fields["party_a_name"]


def test_scans_and_photos_record_their_artefacts():
    scan = generate("business_licence", 21, fmt="new", degrade="scan", compact=True)
    kinds = {a["kind"] for page in scan.variant["degradation"]["pages"] for a in page}
    assert {"paper_tone", "blur", "noise"} <= kinds
    photo = generate("contract", 22, fmt="paper", degrade="photo", compact=True)
    deg = photo.variant["degradation"]
    assert deg["level"] == "photo" and len(deg["pages"]) == photo.variant["pages"]
    for page, (name, data) in zip(deg["pages"], sorted(photo.files.items())):
        img = _image(data)
        assert name.endswith(".jpg") and img.height > img.width  # upright A4 after EXIF
        assert {"perspective", "lighting"} <= {a["kind"] for a in page}


def test_bundle_lists_its_documents_by_page():
    doc = generate_bundle(1, compact=True)
    (name, data), = doc.files.items()
    n = len(pdfium.PdfDocument(data))
    pages = [p for part in doc.parts for p in part.pages]
    assert pages == list(range(1, n + 1))
    assert [p.doc_type for p in doc.parts] == ["business_licence", "contract", "vat_invoice"]
    truth = doc.truth()
    assert truth["doc_type"] == "bundle" and len(truth["documents"]) == 3
    inv, con = doc.parts[2].fields, doc.parts[1].fields
    assert inv["seller_name"] == con["party_b_name"] and inv["buyer_name"] == con["party_a_name"]


def test_committed_samples_match_the_generator():
    """samples/documents was written by samplegen.make_samples: same seeds, same bytes."""
    from samplegen import make_samples

    base = ROOT / "samples" / "documents"
    if not base.exists():
        pytest.skip("samples/documents not written yet")
    for case in ("einvoice_pdf", "digital_invoice_pdf", "payout_form_yichun_pdf"):
        doc_type, fmt, level, script, seed, program = make_samples.CASES[case]
        doc = generate(doc_type, seed, degrade=level, script=script, fmt=fmt, program=program,
                       compact=True)
        for fname, data in doc.files.items():
            assert (base / case / fname).read_bytes() == data, (case, fname)
        assert (base / case / "truth.json").read_text(encoding="utf-8") == doc.truth_json()
    total = sum(p.stat().st_size for p in base.rglob("*") if p.is_file()
                and p.name != "expected.json")
    assert total < 6_500_000


def test_twenty_documents_are_quick(twenty):
    docs, cpu = twenty
    assert len(docs) == 20 and all(d.files for d in docs)
    assert cpu < 20  # about 6 s of CPU
