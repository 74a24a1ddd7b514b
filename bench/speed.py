"""Speed benchmark: seconds per page of the pipeline, the bare OCR engine and a peer.

    python -m bench.speed [--pages N] [--realdata DIR] [--kinds text,scan,photo]
                          [--no-peer] [--no-bare] [--seed S] [--out table.md]

On the same pages, in one run, for each input kind:

text   text-layer PDFs from ``samplegen`` (born-digital e-invoices, 数电票, online
       receipts, payout forms): the pipeline reads the text layer, no OCR
scan   scanned pages at 300 dpi: ``samplegen`` pages put through its scan
       degradation at 300 dpi and wrapped in an image-only PDF
photo  phone photos: the first N real invoice photos of ``bench/truth/invoice_photos.json``
       under ``--realdata`` (default ``../shared/realdata``); generated photo-degraded
       samples fill in when there are fewer (or none)

it times, with ``time.perf_counter`` (wall clock):

pipeline  ``intake.pipeline.extract_files`` on all N files of the kind in one call,
          default engine (RapidOCR) and workers (one per core): everything a user
          waits for, including the per-call process pool and model loading
          ("cold": what one ``docintake extract`` run pays)
warm      the same call handed an ``OcrPool`` whose workers have read a page already
          (models loaded), as the service runs it: the figure to hold against the
          bare engine, whose models are loaded beforehand too
bare      RapidOCR called directly, configured as the pipeline's warm workers are, in as many
          processes as the pipeline uses, models loaded beforehand (their loading is
          reported separately): each task decodes the image (a PDF page: rendered at
          the pipeline's 300 dpi, as the pipeline would have to for OCR) and calls the
          engine. This is the floor for this design. On text-layer PDFs it is what OCR
          would cost if the text layer were ignored.
peer      ``ocrmypdf -l chi_sim+eng --jobs <workers> --output-type pdf --optimize 0``
          (Tesseract-based) on one PDF holding the kind's N pages (photos wrapped at
          300 dpi with img2pdf); ``--skip-text`` on text-layer PDFs, which is what
          ocrmypdf does with pages that already have text.

Before timing, the pipeline runs once on one page (imports, first pool, first model
load): that warm-up is reported on its own. Ratios in the table come from the same
run, so they hold up when other work shares the cores; absolute seconds do not.
Markdown goes to stdout (and ``--out``), progress to stderr.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import resource
import signal
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.progress import log

REPO = Path(__file__).resolve().parent.parent
TRUTH_DIR = Path(__file__).resolve().parent / "truth"
DEFAULT_REALDATA = REPO.parent / "shared" / "realdata"
KINDS = ("text", "scan", "photo")
KIND_LABELS = {
    "text": "text-layer PDF",
    "scan": "scanned page, 300 dpi PDF",
    "photo": "phone photo",
}
SCAN_DPI = 300  # the pipeline's default rasterisation (ExtractOptions.scan_dpi)
PEER_LANGS = "chi_sim+eng"

# Single-page born-digital formats: (doc_type, fmt). Text-layer PDFs come from these.
TEXT_FORMATS = (
    ("vat_invoice", "electronic"),
    ("vat_invoice", "digital"),
    ("payment_receipt", "online"),
    ("application_form", "yichun_payout"),
)
# Paper formats scanned at 300 dpi, and generated photos when real ones are missing.
SCAN_FORMATS = (
    ("vat_invoice", "special"),
    ("business_licence", "new"),
    ("payment_receipt", "counter"),
    ("vat_invoice", "ordinary"),
    ("application_form", "declaration"),
    ("business_licence", "old"),
)


@dataclass
class Input:
    """One page to time: a file and the page in it (0-based)."""

    path: Path
    page: int
    is_pdf: bool
    origin: str  # "generated" | "realdata"


@dataclass
class KindResult:
    kind: str
    pages: int
    origin: str
    pipeline_s: float | None = None
    pipeline_cpu: float | None = None  # this process and its (reaped) workers
    pipeline_pages: int = 0
    pipeline_chars: int = 0
    pipeline_errors: list[str] = field(default_factory=list)
    warm_s: float | None = None  # the pipeline on warm workers (an OcrPool)
    warm_cpu: float | None = None
    bare_s: float | None = None
    bare_cpu: float | None = None  # decode + engine, summed over the tasks
    bare_engine_s: float = 0.0  # sum over pages of the engine call alone
    bare_decode_s: float = 0.0  # sum over pages of decoding / rendering
    bare_chars: int = 0
    peer_s: float | None = None
    peer_cpu: float | None = None  # ocrmypdf and its Tesseract children
    peer_note: str = ""


# ------------------------------------------------------------------ inputs


def _pdf_page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def make_text_inputs(n: int, seed: int, out: Path) -> list[Input]:
    from samplegen import generate

    out.mkdir(parents=True, exist_ok=True)
    inputs: list[Input] = []
    i = 0
    while len(inputs) < n:
        doc_type, fmt = TEXT_FORMATS[i % len(TEXT_FORMATS)]
        doc = generate(doc_type, seed + i, degrade="clean", fmt=fmt)
        i += 1
        for fname, data in doc.files.items():
            if not fname.endswith(".pdf"):
                continue
            path = out / f"text-{i:02d}-{fname}"
            path.write_bytes(data)
            for p in range(_pdf_page_count(path)):
                if len(inputs) < n:
                    inputs.append(Input(path, p, True, "generated"))
    return inputs


def make_scan_inputs(n: int, seed: int, out: Path) -> list[Input]:
    """Generated paper documents, scan-degraded at 300 dpi, one image-only PDF each."""
    import random

    from samplegen import degrade, render_document
    from samplegen.fakedata import make_scenario
    from samplegen.package import RENDER_DPI, on_a4, page_images
    from samplegen.pdfout import images_to_pdf

    out.mkdir(parents=True, exist_ok=True)
    inputs: list[Input] = []
    for i in range(n):
        doc_type, fmt = SCAN_FORMATS[i % len(SCAN_FORMATS)]
        rng = random.Random(f"bench.speed:scan:{seed}:{i}")
        sc = make_scenario(rng, None)
        page = page_images(render_document(doc_type, rng, sc, fmt, "simplified"))[0]
        if doc_type == "vat_invoice":
            page = on_a4(page, rng)  # an invoice laid on the flatbed, scanned as A4
        severity = round(rng.uniform(0.2, 0.8), 2)
        scanned, _ = degrade.scan_page(page, rng, severity, dpi_in=RENDER_DPI, dpi_out=SCAN_DPI)
        path = out / f"scan-{i + 1:02d}-{doc_type}-{fmt}.pdf"
        path.write_bytes(images_to_pdf([scanned], SCAN_DPI, quality=85))
        inputs.append(Input(path, 0, True, "generated"))
    return inputs


def make_photo_inputs(n: int, seed: int, out: Path, realdata: Path) -> list[Input]:
    """Real invoice photos first (a fixed selection: sorted by name), generated after."""
    out.mkdir(parents=True, exist_ok=True)
    inputs: list[Input] = []
    folder = realdata / "vat_invoice_photos"
    truth = TRUTH_DIR / "invoice_photos.json"
    if folder.is_dir() and truth.is_file():
        names = sorted(d["file"] for d in json.loads(truth.read_text("utf-8"))["documents"])
        for name in names[:n]:
            if (folder / name).is_file():
                inputs.append(Input(folder / name, 0, False, "realdata"))
    if len(inputs) < n:
        from samplegen import generate

        i = 0
        while len(inputs) < n:
            doc_type, fmt = SCAN_FORMATS[i % len(SCAN_FORMATS)]
            doc = generate(doc_type, seed + 100 + i, degrade="photo", fmt=fmt)
            i += 1
            for fname, data in sorted(doc.files.items()):
                if len(inputs) < n and fname.endswith(".jpg"):
                    path = out / f"photo-{i:02d}-{fname}"
                    path.write_bytes(data)
                    inputs.append(Input(path, 0, False, "generated"))
    return inputs


def _origin(inputs: list[Input]) -> str:
    kinds = sorted({i.origin for i in inputs})
    if len(kinds) == 1:
        return kinds[0]
    real = sum(1 for i in inputs if i.origin == "realdata")
    return f"{real} realdata + {len(inputs) - real} generated"


# ------------------------------------------------------------------ the pipeline


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its children reaped so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def live_children_cpu() -> float:
    """CPU seconds (user + system) of this process's live children: a warm pool's
    workers are not reaped during a call, so RUSAGE_CHILDREN does not see them."""
    tick = os.sysconf("SC_CLK_TCK")
    me = os.getpid()
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # it ended meanwhile
        after_name = stat.rsplit(")", 1)[1].split()  # state, ppid, ... (proc(5), field 3 on)
        if int(after_name[1]) == me:
            total += (int(after_name[11]) + int(after_name[12])) / tick  # utime, stime
    return total


def time_pipeline(inputs: list[Input], workers: int | None, page_timeout_s: float,
                  pool: Any = None) -> tuple[float, float, int, int, list[str]]:
    """(wall seconds, CPU seconds, pages read, characters read, errors) for one
    extract_files call. The CPU count includes its workers: without ``pool`` the
    pipeline joins its own before returning, so they are reaped by then; a warm
    ``pool``'s live workers are read from /proc."""
    from intake.pipeline import ExtractOptions, extract_files

    paths = list(dict.fromkeys(i.path for i in inputs))  # files, in order, once each
    options = ExtractOptions(workers=workers, page_timeout_s=page_timeout_s, pool=pool)
    c0 = cpu_seconds() + live_children_cpu()
    t0 = time.perf_counter()
    result = extract_files(paths, options=options)
    elapsed = time.perf_counter() - t0
    cpu = cpu_seconds() + live_children_cpu() - c0
    pages = {(d.file, p.number) for d in result.documents for p in d.pages}
    chars = sum(len(p.text) for d in result.documents for p in d.pages)
    errors = [f"{e.file}: {e.error} {e.message}" for e in result.errors]
    return elapsed, cpu, len(pages), chars, errors


def warm_pool(workers: int, warm_inputs: list[Input], page_timeout_s: float) -> Any:
    """An OcrPool of the default engine whose workers have read a page each (the
    pages go out together, one to each idle worker; twice, to be sure)."""
    from intake.ocr.registry import make_engine
    from intake.ocr.runner import OcrPool
    from intake.pipeline import DEFAULT_ENGINE

    pool = OcrPool(make_engine(DEFAULT_ENGINE, long_lived=True), workers)
    for _ in range(2):
        time_pipeline(warm_inputs, workers, page_timeout_s, pool)
    return pool


# ------------------------------------------------------------------ the bare engine

_bare_ocr: Any = None


def _bare_init() -> None:
    """Worker initializer: the pipeline's RapidOCR configuration, loaded and run once."""
    global _bare_ocr
    import logging

    import numpy as np
    from rapidocr import RapidOCR

    from intake.ocr.rapid import _PARAMS, LONG_LIVED_PARAMS

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    # configured as the pipeline's long-lived workers are (models loaded beforehand)
    _bare_ocr = RapidOCR(params={**_PARAMS, **LONG_LIVED_PARAMS})
    # a small page: RapidOCR enlarges anything under 736 px to that size first
    warm = np.full((736, 736, 3), 255, np.uint8)
    warm[300:340, 100:600] = 0
    _bare_ocr(warm)


def _decode(path: str, page: int, is_pdf: bool):
    import numpy as np

    if is_pdf:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(path)
        try:
            bitmap = doc[page].render(scale=SCAN_DPI / 72, fill_color=(255, 255, 255, 255))
            arr = np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
        finally:
            doc.close()
        if arr.ndim == 2:
            arr = np.repeat(arr[:, :, None], 3, axis=2)
        return np.ascontiguousarray(arr[:, :, :3])
    import cv2

    return cv2.imread(path, cv2.IMREAD_COLOR)  # applies the EXIF orientation


def _bare_task(args: tuple[str, int, bool]) -> tuple[float, float, int, float]:
    path, page, is_pdf = args
    c0 = time.process_time()
    t0 = time.perf_counter()
    image = _decode(path, page, is_pdf)
    t1 = time.perf_counter()
    out = _bare_ocr(image)
    t2 = time.perf_counter()
    chars = sum(len(str(t)) for t in (getattr(out, "txts", None) or ()))
    return t1 - t0, t2 - t1, chars, time.process_time() - c0


class BarePool:
    """``workers`` processes, each holding a loaded RapidOCR (spawned: clean children)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        t0 = time.perf_counter()
        self.pool = mp.get_context("spawn").Pool(workers, initializer=_bare_init)
        # make sure every worker has finished its initializer (model loaded, warmed)
        self.pool.map(_noop, range(workers * 4), chunksize=1)
        self.load_s = time.perf_counter() - t0

    def run(self, inputs: list[Input]) -> tuple[float, float, float, int, float]:
        """(wall seconds, decode seconds summed, engine seconds summed, characters,
        CPU seconds summed over the tasks)."""
        tasks = [(str(i.path), i.page, i.is_pdf) for i in inputs]
        t0 = time.perf_counter()
        results = list(self.pool.imap_unordered(_bare_task, tasks, chunksize=1))
        wall = time.perf_counter() - t0
        return (wall, sum(r[0] for r in results), sum(r[1] for r in results),
                sum(r[2] for r in results), sum(r[3] for r in results))

    def close(self, *, kill: bool = False) -> None:
        if kill:
            self.pool.terminate()
        else:
            self.pool.close()
        self.pool.join()


def _noop(_x: int) -> None:
    time.sleep(0.05)


# ------------------------------------------------------------------ the peer


def peer_available() -> str | None:
    """None when ocrmypdf can run, else why not."""
    exe = _ocrmypdf_exe()
    if exe is None:
        return "ocrmypdf not installed (pip extra `bench`)"
    if shutil.which("tesseract") is None:
        return "tesseract not installed"
    try:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                               timeout=30).stdout.split()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"tesseract does not run: {exc}"
    missing = [lang for lang in PEER_LANGS.split("+") if lang not in langs]
    if missing:
        return f"tesseract lacks {', '.join(missing)}"
    return None


def _ocrmypdf_exe() -> str | None:
    local = Path(sys.executable).parent / "ocrmypdf"
    if local.is_file():
        return str(local)
    return shutil.which("ocrmypdf")


def peer_pdf(inputs: list[Input], out: Path) -> Path:
    """One PDF with the kind's pages in order (photos wrapped at 300 dpi)."""
    import img2pdf
    import pikepdf

    merged = pikepdf.new()
    opened: list[pikepdf.Pdf] = []
    try:
        for i, inp in enumerate(inputs):
            if inp.is_pdf:
                src = pikepdf.open(inp.path)
            else:
                layout = img2pdf.get_fixed_dpi_layout_fun((SCAN_DPI, SCAN_DPI))
                wrapped = out.parent / f"{out.stem}-{i:02d}.pdf"
                wrapped.write_bytes(img2pdf.convert(str(inp.path), layout_fun=layout,
                                                    rotation=img2pdf.Rotation.ifvalid))
                src = pikepdf.open(wrapped)
            opened.append(src)
            merged.pages.append(src.pages[inp.page])
        merged.save(out)
    finally:
        for src in opened:
            src.close()
        merged.close()
    return out


def time_peer(pdf: Path, out_dir: Path, workers: int, text_layer: bool) -> tuple[float | None, float | None, str]:
    exe = _ocrmypdf_exe()
    assert exe is not None
    cmd = [exe, "-l", PEER_LANGS, "--jobs", str(workers), "--output-type", "pdf",
           "--optimize", "0", "--quiet"]
    if text_layer:
        cmd.append("--skip-text")
    cmd += [str(pdf), str(out_dir / f"{pdf.stem}-ocr.pdf")]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    c0 = cpu_seconds()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t0
    cpu = cpu_seconds() - c0
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return None, None, f"ocrmypdf exit {proc.returncode}: {' | '.join(tail)}"
    return elapsed, cpu, ""


# ------------------------------------------------------------------ report


def _fmt(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None or b <= 0 else f"{a / b:.2f}"


def _per_page(x: float | None, pages: int) -> float | None:
    return None if x is None else x / pages


def _markdown(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _comparison_rows(results: list[KindResult], suffix: str) -> list[tuple[str, ...]]:
    """Per kind: cold, warm, bare, peer per page and the ratios, from the fields
    ending in ``suffix`` ("_s" wall seconds, "_cpu" CPU seconds)."""
    rows = []
    for r in results:
        cold, warm, bare, peer = (_per_page(getattr(r, f"{who}{suffix}"), r.pages)
                                  for who in ("pipeline", "warm", "bare", "peer"))
        rows.append((_fmt(cold), _fmt(warm), _fmt(bare), _fmt(peer),
                     f"{_ratio(cold, bare)}, {_ratio(warm, bare)}",
                     f"{_ratio(cold, peer)}, {_ratio(warm, peer)}"))
    return rows


def table(results: list[KindResult]) -> str:
    head = ("input kind", "pages", "pipeline s/page (cold)", "pipeline s/page (warm)",
            "bare engine s/page", "ocrmypdf s/page", "pipeline / bare (cold, warm)",
            "pipeline / ocrmypdf (cold, warm)")
    rows = [(KIND_LABELS[r.kind], f"{r.pages} ({r.origin})", *row)
            for r, row in zip(results, _comparison_rows(results, "_s"))]
    return _markdown(head, rows)


def cpu_table(results: list[KindResult]) -> str:
    head = ("input kind", "pipeline CPU s/page (cold)", "pipeline CPU s/page (warm)",
            "bare engine CPU s/page", "ocrmypdf CPU s/page", "pipeline / bare (CPU; cold, warm)",
            "pipeline / ocrmypdf (CPU; cold, warm)")
    rows = [(KIND_LABELS[r.kind], *row) for r, row in zip(results, _comparison_rows(results, "_cpu"))]
    return _markdown(head, rows)


def detail_table(results: list[KindResult]) -> str:
    head = ("input kind", "pipeline pages read", "pipeline characters", "bare characters",
            "bare decode s/page", "bare engine-call s/page (per process)")
    rows = []
    for r in results:
        rows.append((KIND_LABELS[r.kind], str(r.pipeline_pages), str(r.pipeline_chars),
                     str(r.bare_chars), _fmt(r.bare_decode_s / r.pages if r.bare_s is not None else None),
                     _fmt(r.bare_engine_s / r.pages if r.bare_s is not None else None)))
    return _markdown(head, rows)


def _load() -> str:
    try:
        one, five, fifteen = os.getloadavg()
        return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"
    except OSError:
        return "unknown"


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"Python {platform.python_version()}"]
    for pkg in ("rapidocr", "onnxruntime", "ocrmypdf"):
        try:
            parts.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            pass
    try:
        tv = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30)
        parts.append((tv.stdout or tv.stderr).splitlines()[0])
    except (OSError, subprocess.SubprocessError, IndexError):
        pass
    return ", ".join(parts)


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=6, metavar="N", help="pages per input kind (default 6)")
    ap.add_argument("--kinds", default=",".join(KINDS), help=f"comma list of {', '.join(KINDS)}")
    ap.add_argument("--realdata", type=Path, default=DEFAULT_REALDATA, metavar="DIR")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None,
                    help="pipeline workers (default: one per core, as the pipeline does); "
                         "the bare engine and the peer use as many")
    ap.add_argument("--page-timeout", type=float, default=900, metavar="S",
                    help="the pipeline's per-page OCR time limit (default 900 s, not the "
                         "pipeline's 120 s: on a loaded machine a page killed at its limit "
                         "would look fast)")
    ap.add_argument("--no-peer", action="store_true", help="skip ocrmypdf")
    ap.add_argument("--no-bare", action="store_true", help="skip the bare engine")
    ap.add_argument("--out", type=Path, help="also write the markdown here")
    args = ap.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = set(kinds) - set(KINDS)
    if unknown or args.pages < 1:
        ap.error(f"unknown kinds: {', '.join(sorted(unknown))}" if unknown else "--pages must be >= 1")
    workers = max(1, args.workers or os.cpu_count() or 1)

    load_before = _load()
    t_start = time.perf_counter()
    notes: list[str] = []
    results: list[KindResult] = []
    with tempfile.TemporaryDirectory(prefix="docintake-speed-") as tmp_s:
        tmp = Path(tmp_s)
        log(f"making inputs: {args.pages} pages per kind ({', '.join(kinds)}) ...")
        makers = {
            "text": lambda: make_text_inputs(args.pages, args.seed, tmp / "text"),
            "scan": lambda: make_scan_inputs(args.pages, args.seed, tmp / "scan"),
            "photo": lambda: make_photo_inputs(args.pages, args.seed, tmp / "photo", args.realdata),
        }
        inputs = {k: makers[k]() for k in kinds}
        if "photo" in kinds and any(i.origin == "generated" for i in inputs["photo"]):
            notes.append(f"{args.realdata / 'vat_invoice_photos'} missing or short: generated photos used")

        # Warm-up: imports, the first pool, the first model load, off the clock.
        warm_kind = "scan" if "scan" in kinds else kinds[0]
        log("warm-up: the pipeline on one page ...")
        warm_s, warm_cpu, *_ = time_pipeline(inputs[warm_kind][:1], workers, args.page_timeout)
        log(f"starting {workers} warm pipeline workers ...")
        pool = warm_pool(workers, inputs[warm_kind][:workers], args.page_timeout)
        bare = None
        if not args.no_bare:
            log(f"loading the bare engine in {workers} processes ...")
            bare = BarePool(workers)
        peer_why = None if not args.no_peer else "skipped (--no-peer)"
        if peer_why is None:
            peer_why = peer_available()
            if peer_why:
                notes.append(f"ocrmypdf column empty: {peer_why}")

        # a plain `kill` must still shut the bare engine's workers down
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        ok = False
        try:
            for kind in kinds:
                ins = inputs[kind]
                res = KindResult(kind, len(ins), _origin(ins))
                log(f"[{kind}] pipeline on {len(ins)} pages ...")
                (res.pipeline_s, res.pipeline_cpu, res.pipeline_pages, res.pipeline_chars,
                 res.pipeline_errors) = time_pipeline(ins, args.workers, args.page_timeout)
                for e in res.pipeline_errors:
                    log(f"  error {e}")
                log(f"[{kind}] pipeline on warm workers ...")
                res.warm_s, res.warm_cpu, *_ = time_pipeline(ins, workers, args.page_timeout, pool)
                if bare is not None:
                    log(f"[{kind}] bare engine ...")
                    (res.bare_s, res.bare_decode_s, res.bare_engine_s, res.bare_chars,
                     res.bare_cpu) = bare.run(ins)
                if peer_why is None:
                    log(f"[{kind}] ocrmypdf ...")
                    (tmp / "peer").mkdir(exist_ok=True)
                    pdf = peer_pdf(ins, tmp / "peer" / f"{kind}.pdf")
                    res.peer_s, res.peer_cpu, res.peer_note = time_peer(pdf, tmp / "peer", workers,
                                                                        kind == "text")
                    if res.peer_note:
                        log(f"  {res.peer_note}")
                        notes.append(f"{kind}: {res.peer_note}")
                log(f"[{kind}] pipeline {_fmt(res.pipeline_s)} s (warm {_fmt(res.warm_s)} s), "
                    f"bare {_fmt(res.bare_s)} s, ocrmypdf {_fmt(res.peer_s)} s")
                results.append(res)
            ok = True
        finally:
            pool.close()
            if bare is not None:
                bare.close(kill=not ok)

    total_s = time.perf_counter() - t_start
    load_after = _load()
    parts = ["# Speed benchmark", "",
             f"`python -m bench.speed --pages {args.pages}` — {workers} worker processes; "
             f"pipeline page time limit {args.page_timeout:g} s; "
             f"{os.cpu_count()} cores; {_versions()}.", "",
             "Wall clock:", "",
             table(results), "",
             "CPU time (user + system; less sensitive to other work on the machine than wall "
             "time, though not immune: a loaded machine also slows each CPU second down):", "",
             cpu_table(results), "",
             f"- Warm-up off the clock: the pipeline's first call on one page took {warm_s:.2f} s, "
             f"{warm_cpu:.2f} s CPU (imports, process pool, model loading)"
             + (f"; the bare engine's {workers} processes took {bare.load_s:.2f} s to start and load "
                "their models" if bare is not None else "") + ".",
             "- Pipeline, cold: what every call pays, its process pool and each worker's "
             "model loading (a `docintake extract` run); its CPU includes its workers'. "
             "Warm: the same call on an `OcrPool` whose workers have loaded their models, as "
             "the service runs (bare engine figures exclude model loading too).",
             "- Bare engine: RapidOCR as the pipeline's warm workers configure it, called directly, models "
             "already loaded; a PDF page is rendered at 300 dpi first (on text-layer PDFs that is "
             "what OCR would cost; the pipeline reads their text layer instead).",
             "- ocrmypdf: `-l chi_sim+eng --jobs N --output-type pdf --optimize 0` "
             "(`--skip-text` on text-layer PDFs), Tesseract-based, one PDF of the kind's pages.",
             f"- Load average (1/5/15 min) at start {load_before}, at end {load_after}; "
             f"whole run {total_s:.0f} s.", ]
    parts += [f"- {n}" for n in notes]
    parts += ["", "Details:", "", detail_table(results), ""]
    text = "\n".join(parts)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
