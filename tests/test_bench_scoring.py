"""The benchmark's scoring on hand-made results (no OCR), and the truth files' own sanity."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from stdnum.cn import uscc

from bench import scoring
from bench.scoring import TruthDoc
from intake.model import DocType, Document, ExtractedField, Method, Page, Quality

TRUTH_DIR = Path(__file__).resolve().parent.parent / "bench" / "truth"


def page(file: str, number: int = 1) -> Page:
    return Page(file=file, number=number, width=100, height=100, dpi=300, segments=[],
                method=Method.REPLAY, quality=Quality())


def doc(file: str, dtype: DocType, fields: dict[str, tuple[object, float]], *,
        pages: tuple[int, ...] = (1,), type_conf: float = 0.95) -> Document:
    return Document(file, [page(file, n) for n in pages], dtype, type_conf,
                    {k: ExtractedField(v, None, c, 1, None, Method.REPLAY) for k, (v, c) in fields.items()})


INVOICE_TRUTH = TruthDoc(group="a.pdf", doc_type="vat_invoice",
                         fields={"invoice_number": "12345678", "total": "53.40", "buyer_name": "个人",
                                 "check_code": None},
                         absent=frozenset({"buyer_tax_id"}))


def by_field(outcomes):
    return {o.field: o for o in outcomes}


def test_exact_values_are_right_and_unknown_truth_is_not_scored():
    d = doc("a.pdf", DocType.VAT_INVOICE, {"invoice_number": ("12345678", 0.99), "total": ("53.40", 0.97),
                                           "buyer_name": ("个人", 0.95), "check_code": ("1" * 20, 0.99)})
    gs = scoring.score_group("s", [INVOICE_TRUTH], [d])
    out = by_field(gs.fields)
    assert set(out) == {"invoice_number", "total", "buyer_name"}  # check_code truth unknown
    assert all(o.right for o in out.values())
    t = scoring.tally_by_set(gs.fields)["s"]
    assert (t.n_truth, t.n_right, t.n_confident, t.n_confident_wrong) == (3, 3, 3, 0)
    assert gs.docs[0].found


def test_wrong_values_count_against_calibration_only_when_confident():
    d = doc("a.pdf", DocType.VAT_INVOICE, {"invoice_number": ("12346678", 0.95), "total": ("58.40", 0.5)})
    gs = scoring.score_group("s", [INVOICE_TRUTH], [d])
    t = scoring.tally_by_set(gs.fields)["s"]
    assert (t.n_truth, t.n_right, t.n_given) == (3, 0, 2)  # buyer_name missing: not right
    assert (t.n_confident, t.n_confident_wrong) == (1, 1)
    assert t.confident_wrong_share == 1.0


def test_value_for_absent_or_illegible_field_is_wrong():
    d = doc("a.pdf", DocType.VAT_INVOICE, {"invoice_number": ("12345678", 0.99),
                                           "buyer_tax_id": ("91110000000000000X", 0.92)})
    t = scoring.tally_by_set(scoring.score_group("s", [INVOICE_TRUTH], [d]).fields)["s"]
    assert (t.n_spurious, t.n_confident, t.n_confident_wrong) == (1, 2, 1)

    lic = TruthDoc(group="l.jpg", doc_type="business_licence", fields={"company_name": None, "credit_code": None},
                   illegible=frozenset({"company_name", "credit_code"}))
    d2 = doc("l.jpg", DocType.BUSINESS_LICENCE, {"company_name": ("北京商贸有限公司", 0.93)})
    out = scoring.score_group("s", [lic], [d2]).fields
    assert [(o.field, o.kind, o.right) for o in out] == [("company_name", "illegible", False)]
    # Nothing given for an illegible field: nothing to score at all.
    assert scoring.score_group("s", [lic], [doc("l.jpg", DocType.BUSINESS_LICENCE, {})]).fields == []


def test_missing_document_loses_every_truth_value():
    gs = scoring.score_group("s", [INVOICE_TRUTH], [doc("a.pdf", DocType.OTHER, {})])
    t = scoring.tally_by_set(gs.fields)["s"]
    assert (t.n_truth, t.n_right, t.n_given) == (3, 0, 0)
    assert not gs.docs[0].found


def test_first_document_of_the_type_is_the_default_match():
    d1 = doc("a.pdf", DocType.VAT_INVOICE, {"total": ("1.00", 0.9)})
    d2 = doc("a.pdf", DocType.VAT_INVOICE, {"total": ("2.00", 0.9)})
    pairs = scoring.match_documents([INVOICE_TRUTH], [doc("a.pdf", DocType.CONTRACT, {}), d1, d2])
    assert pairs[0][1] is d1


def test_two_documents_of_one_type_match_by_agreeing_fields():
    t1 = TruthDoc("x.jpg", "business_licence", {"company_name": "甲公司", "credit_code": None})
    t2 = TruthDoc("x.jpg", "business_licence", {"company_name": "乙公司", "credit_code": None})
    d_b = doc("x.jpg", DocType.BUSINESS_LICENCE, {"company_name": ("乙公司", 0.9)})
    d_a = doc("x.jpg", DocType.BUSINESS_LICENCE, {"company_name": ("甲公司", 0.9)})
    pairs = scoring.match_documents([t1, t2], [d_b, d_a])
    assert pairs[0][1] is d_a and pairs[1][1] is d_b


def test_bundle_parts_match_by_pages():
    parts = [SimpleNamespace(doc_type="vat_invoice", pages=[1], fields={"total": "1.00"}),
             SimpleNamespace(doc_type="vat_invoice", pages=[2, 3], fields={"total": "2.00"})]
    truths = scoring.truths_from_generated("g1", "bundle", {}, parts)
    d1 = doc("g1/b.pdf", DocType.VAT_INVOICE, {"total": ("9.99", 0.5)}, pages=(2, 3))
    d2 = doc("g1/b.pdf", DocType.VAT_INVOICE, {"total": ("1.00", 0.5)}, pages=(1,))
    pairs = scoring.match_documents(truths, [d1, d2])
    assert pairs[0][1] is d2 and pairs[1][1] is d1


def test_generated_truth_marks_unlisted_contract_fields_absent():
    (t,) = scoring.truths_from_generated("g", "business_licence", {"company_name": "甲公司", "credit_code": "X"})
    assert "registration_number" in t.absent and "company_name" not in t.absent
    assert t.pages is None


def test_non_documents_given_a_type_are_spurious_unless_accepted():
    ad = [TruthDoc("ad.jpg", "other", {})]
    gs = scoring.score_group("lic", ad, [doc("ad.jpg", DocType.BUSINESS_LICENCE, {}, type_conf=0.97)])
    assert [(o.spurious, o.only_other) for o in gs.docs] == [(True, True)]
    dt = scoring.tally_docs(gs.docs, {"lic": 1})["lic"]
    assert (dt.n_spurious, dt.n_spurious_confident, dt.n_other_groups_typed, dt.n_other_groups) == (1, 1, 1, 1)

    framed = [TruthDoc("f.jpg", "other", {}, accept_types=frozenset({"business_licence"}))]
    assert scoring.score_group("lic", framed, [doc("f.jpg", DocType.BUSINESS_LICENCE, {})]).docs == []

    specimen = [TruthDoc("s.jpg", "business_licence", {"company_name": None},
                         accept_types=frozenset({"other"}))]
    gs2 = scoring.score_group("lic", specimen, [doc("s.jpg", DocType.OTHER, {})])
    assert [(o.found, o.spurious) for o in gs2.docs] == [(True, False)]


@pytest.mark.parametrize(("variant", "degraded"), [
    ({}, False), ({"degradation": None}, False), ({"degradation": {"level": "none"}}, False),
    ({"degradation": {"level": 0}}, False), ({"degradation": {"level": "heavy", "artefacts": []}}, True),
    ({"degradation": "clean"}, False), ({"degradation": "photo"}, True),
])
def test_is_degraded(variant, degraded):
    assert scoring.is_degraded(variant) is degraded


def test_registration_number_check_digit():
    assert scoring.registration_number_valid("500103000028456")
    assert not scoring.registration_number_valid("500103000028457")
    assert not scoring.registration_number_valid("50010300002845")
    docs = [doc("l.jpg", DocType.BUSINESS_LICENCE, {"credit_code": (v, 0.9)})
            for v in ("91441900595830037Q", "91441900595830037R")]
    docs += [doc("l.jpg", DocType.BUSINESS_LICENCE, {}),
             doc("i.pdf", DocType.VAT_INVOICE, {"credit_code": ("X", 0.9)})]
    assert scoring.checksum_pass(docs) == (1, 2)
    reg = [doc("l.jpg", DocType.BUSINESS_LICENCE, {"registration_number": ("500103000028456", 0.9)})]
    assert scoring.checksum_pass(reg, "registration_number") == (1, 1)


def test_tables_show_targets_and_verdicts():
    d = doc("a.pdf", DocType.VAT_INVOICE, {"invoice_number": ("12345678", 0.99), "total": ("53.41", 0.99)})
    gs = scoring.score_group("text", [INVOICE_TRUTH], [d])
    tallies = scoring.tally_fields(gs.fields)
    key = scoring.key_field_table(tallies, ["text"], {"text": 1.0})
    assert "| text | vat_invoice | invoice_number | 1/1 | 100.0 % | ≥ 100 % | ok | 0/1 | 0.0 % |" in key
    assert "| text | vat_invoice | total | 0/1 | 0.0 % | ≥ 100 % | **miss** | 1/1 | 100.0 % |" in key
    cal = scoring.calibration_table(scoring.tally_by_set(gs.fields), ["text"], 0.005)
    assert "| **all** | 2 | 2 | 1 | 50.0 % | **miss** | 0 |" in cal
    assert "total" in scoring.misses_table(scoring.misses(gs.fields))
    speed = scoring.speed_table({"text": (6, 6, 3.0)}, ["text"])
    assert "| text | 6 | 6 | 3.0 | 0.50 |" in speed


# ---------------------------------------------------------------- the truth files themselves

def load(name: str) -> dict:
    return json.loads((TRUTH_DIR / name).read_text(encoding="utf-8"))


def test_truth_files_load_with_expected_counts():
    assert sum(len(v) for v in scoring.load_truth_file(TRUTH_DIR / "e_invoices.json").values()) == 6
    assert sum(len(v) for v in scoring.load_truth_file(TRUTH_DIR / "invoice_photos.json").values()) == 8
    lic = scoring.load_truth_file(TRUTH_DIR / "licences.json")
    assert len(lic) == 47 and sum(len(v) for v in lic.values()) == 48
    renamed = scoring.load_truth_file(TRUTH_DIR / "e_invoices.json", {"03702170021127209635.pdf": "x.png"})
    assert "x.png" in renamed


@pytest.mark.parametrize("name", ["e_invoices.json", "invoice_photos.json"])
def test_invoice_truth_is_consistent(name):
    for entry in load(name)["documents"]:
        f = entry["fields"]
        assert Decimal(f["amount_excl_tax"]) + Decimal(f["tax_amount"]) == Decimal(f["total"])
        for key in ("issued_on",):
            assert len(f[key]) == 10 and f[key][4] == "-"
        for key in ("buyer_tax_id", "seller_tax_id"):
            if len(f.get(key) or "") == 18:
                assert uscc.is_valid(f[key]), (entry["file"], key)
        assert not set(entry.get("absent", ())) & set(f)


def test_e_invoice_truth_agrees_with_its_qr_payload():
    for entry in load("e_invoices.json")["documents"]:
        f, q = entry["fields"], entry["qr"].split(",")
        amount = f["total"] if q[1] == "31" else f["amount_excl_tax"]  # 数电票 QR carries the total
        assert (q[2], q[3], q[4], q[5], q[6]) == (f.get("invoice_code", ""), f["invoice_number"], amount,
                                                  f["issued_on"].replace("-", ""), f.get("check_code", ""))


def test_licence_truth_ids_pass_their_check_digits():
    for entry in load("licences.json")["documents"]:
        f = entry["fields"]
        if f.get("credit_code"):
            assert uscc.is_valid(f["credit_code"]), entry["file"]
        reg = f.get("registration_number")
        if reg and len(reg) == 15:
            assert scoring.registration_number_valid(reg), entry["file"]
        name = f.get("company_name")
        if name:
            assert "(" not in name and " " not in name
        assert set(entry.get("illegible", ())) <= set(f)


def test_accuracy_cli_with_a_fake_pipeline(monkeypatch, tmp_path):
    """The runner end to end without OCR: generated docs grouped by their own folder,
    clean vs degraded split, a missing realdata folder said out loud."""
    import samplegen
    from bench import accuracy
    from intake.model import ExtractResult

    gen = [SimpleNamespace(name="inv/1", files={"a.png": b"x"}, doc_type="vat_invoice",
                           fields={"total": "1.00"}, variant={"degradation": {"level": "clean"}}, parts=[]),
           SimpleNamespace(name="inv/2", files={"a.png": b"y"}, doc_type="vat_invoice",
                           fields={"total": "2.00"}, variant={"degradation": {"level": "photo"}}, parts=[])]
    monkeypatch.setattr(samplegen, "generate_set", lambda n, seed: iter(gen[:n]), raising=False)

    def fake_extract(paths, *, engine="rapidocr", workers=None, progress=False, display_names=None):
        res = ExtractResult()
        for p in paths:
            total = "1.00" if p.read_bytes() == b"x" else "2.50"
            res.documents.append(doc(display_names[p], DocType.VAT_INVOICE, {"total": (total, 0.95)}))
        return res

    monkeypatch.setattr(accuracy, "_load_pipeline", lambda: fake_extract)
    out = tmp_path / "t.md"
    assert accuracy.main(["--generated", "2", "--realdata", str(tmp_path / "nowhere"), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "does not exist" in text
    assert "| generated clean | vat_invoice | total | 1/1 | 100.0 % |" in text
    assert "| generated degraded | vat_invoice | total | 0/1 | 0.0 % |" in text


def test_doc_misses_lists_lost_and_extra_documents():
    gs = scoring.score_group("s", [INVOICE_TRUTH], [doc("a.pdf", DocType.CONTRACT, {}, type_conf=0.6)])
    table = scoring.doc_misses_table(gs.docs)
    assert "| s | a.pdf | vat_invoice | not found | — |" in table
    assert "| s | a.pdf | contract | extra document | 0.60 |" in table
