"""samplegen: realistic fictitious subsidy documents with known truth.

    generate(doc_type, seed, *, degrade="clean", script="simplified", fmt=None)
        -> GeneratedDoc
    generate_set(n, seed) -> Iterator[GeneratedDoc]
    generate_bundle(seed, *, degrade="scan") -> GeneratedDoc   (one scanned PDF of
        licence + contract + invoice pages; ``parts`` give each document's pages)

Everything is drawn from the seed (``random.Random`` / numpy ``Generator`` seeded
from it): the same arguments give the same bytes. See truth.py for the truth format
and CONTRACT.md for field names and normal forms.

Mix of ``generate_set`` (documented proportions, drawn per document):
  types        vat_invoice 30 %, business_licence 25 %, contract 15 %,
               payment_receipt 12 %, application_form 10 %, id_card 8 %
  degradation  clean 40 %, scan 30 %, seal_heavy 5 % (a scan with extra stamps),
               photo 25 %
  script       traditional for 20 % of licences and 5 % of other documents
  formats      per type as in FORMAT_WEIGHTS
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from typing import Any

from samplegen import (degrade as _degrade, render_application, render_contract,
                       render_idcard, render_invoice, render_licence, render_receipt)
from samplegen.fakedata import Scenario, make_scenario
from samplegen.package import on_a4, package, page_images
from samplegen.pdfout import images_to_pdf
from samplegen.truth import BundlePart, GeneratedDoc, Rendered

__all__ = ["DOC_TYPES", "FORMAT_WEIGHTS", "GeneratedDoc", "BundlePart", "generate",
           "generate_set", "generate_bundle"]

_RENDERERS = {
    "vat_invoice": render_invoice.render,
    "business_licence": render_licence.render,
    "contract": render_contract.render,
    "payment_receipt": render_receipt.render,
    "application_form": render_application.render,
    "id_card": render_idcard.render,
}
DOC_TYPES = tuple(_RENDERERS)

FORMAT_WEIGHTS: dict[str, dict[str, int]] = {
    "vat_invoice": {"special": 3, "ordinary": 2, "electronic": 3, "digital": 2},
    "business_licence": {"new": 3, "old": 1},
    "contract": {"pdf": 1, "paper": 1},
    "payment_receipt": {"online": 1, "counter": 1},
    "application_form": {"declaration": 2, "yichun_payout": 1},
    "id_card": {"front_back": 3, "a4_copy": 1},
}
TYPE_WEIGHTS = {"vat_invoice": 30, "business_licence": 25, "contract": 15,
                "payment_receipt": 12, "application_form": 10, "id_card": 8}
LEVEL_WEIGHTS = {"clean": 40, "scan": 30, "seal_heavy": 5, "photo": 25}
SCRIPTS = ("simplified", "traditional")


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _program_for(doc_type: str, fmt: str) -> str | None:
    if doc_type == "application_form" and fmt == "yichun_payout":
        return "yichun-2023"
    if doc_type == "id_card":  # only Inner Mongolia asks for the contact's ID card
        return "inner-mongolia-2019-voucher"
    return None


def render_document(doc_type: str, rng: random.Random, sc: Scenario, fmt: str,
                    script: str) -> Rendered:
    return _RENDERERS[doc_type](rng, sc, fmt, script)


def _owner(doc_type: str, sc: Scenario) -> str:
    return sc.provider.name if doc_type in ("vat_invoice",) else sc.applicant.name


def generate(doc_type: str, seed: int, *, degrade: str = "clean", script: str = "simplified",
             fmt: str | None = None, program: str | None = None,
             compact: bool = False) -> GeneratedDoc:
    """One document of ``doc_type`` drawn from ``seed``.

    ``fmt`` picks the layout family (FORMAT_WEIGHTS keys; None: drawn from the seed);
    ``program`` fixes the scenario's subsidy program; ``compact`` makes small files
    (committed samples). Born-digital formats (e-invoices, 数电票, PDF contracts,
    online receipts, payout forms) are text-layer PDFs when ``degrade="clean"`` and
    printed-then-scanned/photographed otherwise.
    """
    if doc_type not in _RENDERERS:
        raise ValueError(f"doc_type {doc_type!r} not in {DOC_TYPES}")
    if script not in SCRIPTS:
        raise ValueError(f"script {script!r} not in {SCRIPTS}")
    if degrade not in _degrade.LEVELS:
        raise ValueError(f"degrade {degrade!r} not in {_degrade.LEVELS}")
    rng = random.Random(f"samplegen:{doc_type}:{seed}")
    fmt = fmt or _pick(rng, FORMAT_WEIGHTS[doc_type])
    if fmt not in FORMAT_WEIGHTS[doc_type]:
        raise ValueError(f"format {fmt!r} not in {tuple(FORMAT_WEIGHTS[doc_type])}")
    sc = make_scenario(rng, program or _program_for(doc_type, fmt))
    r = render_document(doc_type, rng, sc, fmt, script)
    name = f"{doc_type}-{fmt}-{degrade}-{seed}"
    files, deg = package(r, rng, degrade, name, compact=compact, owner=_owner(doc_type, sc))
    variant = {**r.variant, "format": fmt, "script": script, "program": sc.program,
               "degradation": deg}
    return GeneratedDoc(name=name, files=files, doc_type=doc_type, fields=r.fields,
                        variant=variant)


def generate_set(n: int, seed: int, *, types: Iterable[str] | None = None,
                 compact: bool = False) -> Iterator[GeneratedDoc]:
    """``n`` documents mixing types, formats, scripts and degradations (see module doc)."""
    weights = {t: w for t, w in TYPE_WEIGHTS.items() if types is None or t in set(types)}
    if not weights:
        raise ValueError(f"no known doc types in {types!r}")
    for i in range(n):
        rng = random.Random(f"samplegen-set:{seed}:{i}")
        doc_type = _pick(rng, weights)
        level = _pick(rng, LEVEL_WEIGHTS)
        trad = rng.random() < (0.2 if doc_type == "business_licence" else 0.05)
        yield generate(doc_type, rng.getrandbits(31), degrade=level,
                       script="traditional" if trad else "simplified", compact=compact)


def generate_bundle(seed: int, *, degrade: str = "scan", compact: bool = False,
                    program: str | None = None) -> GeneratedDoc:
    """A single scanned PDF: business licence, contract and paper invoice of one deal."""
    if degrade not in ("clean", "scan", "seal_heavy"):
        raise ValueError("a bundle is a scanned PDF: degrade must be clean, scan or seal_heavy")
    rng = random.Random(f"samplegen-bundle:{seed}")
    sc = make_scenario(rng, program)
    docs = [("business_licence", "new" if rng.random() < 0.8 else "old"),
            ("contract", "paper"), ("vat_invoice", rng.choice(["special", "ordinary"]))]
    dpi = (150 if compact else 200) if degrade != "clean" else (200 if compact else 300)
    severity = round(rng.uniform(0.2, 0.8), 2)
    all_pages, parts, page_arts = [], [], []
    for doc_type, fmt in docs:
        r = render_document(doc_type, rng, sc, fmt, "simplified")
        first = len(all_pages) + 1
        for p in page_images(r):
            if doc_type == "vat_invoice":
                p = on_a4(p, rng)
            arts: list[dict[str, Any]] = []
            if degrade == "seal_heavy" and rng.random() < 0.5:
                p, arts = _degrade.extra_seals(p, rng, 300, sc.applicant.name)
            if degrade == "clean":
                p = p.resize((round(p.width * dpi / 300), round(p.height * dpi / 300)))
            else:
                p, more = _degrade.scan_page(p, rng, severity, dpi_in=300, dpi_out=dpi)
                arts += more
            all_pages.append(p)
            page_arts.append(arts)
        parts.append(BundlePart(doc_type, list(range(first, len(all_pages) + 1)), r.fields,
                                {**r.variant, "format": fmt}))
    name = f"bundle-{degrade}-{seed}"
    pdf = images_to_pdf(all_pages, dpi, quality=78 if compact else 85)
    variant = {"format": "bundle_scan_pdf", "script": "simplified", "program": sc.program,
               "degradation": {"level": degrade, "severity": severity, "dpi": dpi,
                               "container": "pdf_images", "pages": page_arts}}
    return GeneratedDoc(name=name, files={f"{name}.pdf": pdf}, doc_type="bundle", fields={},
                        variant=variant, parts=parts)
