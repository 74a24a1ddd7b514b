"""Write the committed golden inputs: samples/documents/<case>/ (files + truth.json).

    python -m samplegen.make_samples [--out samples/documents]

Deterministic: every case has a fixed seed; re-running rewrites identical bytes.
Files are kept small (compact mode: 150–200 dpi scans, JPEG ~80, 2000 px photos).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from samplegen import GeneratedDoc, generate, generate_bundle

# case -> (doc_type, fmt, degrade, script, seed, program)
CASES: dict[str, tuple[str, str, str, str, int, str | None]] = {
    "invoice_special_scan": ("vat_invoice", "special", "scan", "simplified", 101, None),
    "invoice_ordinary_photo": ("vat_invoice", "ordinary", "photo", "simplified", 102, None),
    "einvoice_pdf": ("vat_invoice", "electronic", "clean", "simplified", 103, None),
    "digital_invoice_pdf": ("vat_invoice", "digital", "clean", "simplified", 104, None),
    "licence_new_scan": ("business_licence", "new", "scan", "simplified", 105, None),
    "licence_old_scan": ("business_licence", "old", "scan", "simplified", 106, None),
    "licence_traditional_photo": ("business_licence", "new", "photo", "traditional", 107,
                                  "guangdong-2018-voucher"),
    "contract_pdf": ("contract", "pdf", "clean", "simplified", 108, "guangdong-2018-voucher"),
    "contract_scan": ("contract", "paper", "scan", "simplified", 109, "hebei-2018-benchmark"),
    "receipt_scan": ("payment_receipt", "counter", "scan", "simplified", 110, None),
    "application_form_scan": ("application_form", "declaration", "scan", "simplified", 111,
                              "inner-mongolia-2019-voucher"),
    "payout_form_yichun_pdf": ("application_form", "yichun_payout", "clean", "simplified", 112,
                               None),
    "id_card_front_back": ("id_card", "front_back", "scan", "simplified", 113, None),
}
BUNDLE_CASE = "bundle_scan_pdf"
BUNDLE_SEED = 114


def build() -> dict[str, GeneratedDoc]:
    out: dict[str, GeneratedDoc] = {}
    for case, (doc_type, fmt, level, script, seed, program) in CASES.items():
        out[case] = generate(doc_type, seed, degrade=level, script=script, fmt=fmt,
                             program=program, compact=True)
    out[BUNDLE_CASE] = generate_bundle(BUNDLE_SEED, degrade="scan", compact=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samplegen.make_samples")
    ap.add_argument("--out", type=Path, default=Path("samples/documents"))
    args = ap.parse_args(argv)
    total = 0
    for case, doc in build().items():
        d = args.out / case
        if d.exists():  # drop old inputs; keep the pipeline's expected.json (not ours)
            for f in d.iterdir():
                if f.is_file() and f.name != "expected.json":
                    f.unlink()
        doc.write(d)
        size = sum(len(b) for b in doc.files.values())
        total += size
        print(f"{case:28s} {', '.join(sorted(doc.files)):60s} {size / 1024:7.0f} KiB")
    print(f"total {total / 1e6:.2f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
