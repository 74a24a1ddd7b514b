"""From uploaded files to documents with fields: the extraction job, step by step.

    load (sniff, split into pages, text layer or raster)
      → read raster pages (clean-up + OCR, in parallel, with a per-page time limit)
      → classify pages → cut each file into documents
      → decode QR codes where a document needs them → extract fields

A file that cannot be read becomes a ``FileError`` and the rest go on; a page whose
OCR fails or overruns becomes a ``FileError`` for that page, and the file's other
pages go on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from intake.classify import PageClass, Scorer, classify_text, default_scorers
from intake.errors import ErrorCode, IntakeError, OcrError
from intake.loaders import Limits, SourcePage, load_file
from intake.model import DocType, Document, ExtractResult, FileError, Method, Page, Quality
from intake.ocr.base import OcrEngine
from intake.ocr.registry import make_engine
from intake.ocr.runner import PageJob, PageRead, read_pages
from intake.split import split_pages
from intake.upright import to_upload_frame, upright

log = logging.getLogger(__name__)

DEFAULT_ENGINE = "rapidocr"
# Raster pages are read in batches so that a 300-page scan never holds every
# page image in memory at once; a batch keeps both cores busy.
BATCH_PAGES = 8


@dataclass(frozen=True)
class ExtractOptions:
    engine: str | OcrEngine = DEFAULT_ENGINE
    workers: int | None = None
    page_timeout_s: float = 120.0
    scan_dpi: int = 300
    limits: Limits = field(default_factory=Limits)


@dataclass
class _FilePages:
    name: str
    sources: list[SourcePage]
    pages: dict[int, Page] = field(default_factory=dict)


def extract_files(
    paths: Iterable[Path],
    *,
    engine: str | OcrEngine = DEFAULT_ENGINE,
    workers: int | None = None,
    progress: bool = False,
    options: ExtractOptions | None = None,
    display_names: dict[Path, str] | None = None,
    scorers: dict[DocType, Scorer] | None = None,
) -> ExtractResult:
    """Read every file and return its documents; unreadable files go to ``errors``."""
    opts = options or ExtractOptions(engine=engine, workers=workers)
    result = ExtractResult()
    loaded: list[_FilePages] = []
    for path in paths:
        name = (display_names or {}).get(path, path.name)
        try:
            sources = load_file(path, limits=opts.limits, dpi=opts.scan_dpi, display_name=name)
        except IntakeError as exc:
            result.errors.append(FileError(name, str(exc.code), exc.message))
            continue
        fp = _FilePages(name, sources)
        for src in sources:
            if src.segments is not None:
                fp.pages[src.number] = _text_layer_page(name, src)
        loaded.append(fp)

    raster = [(fp, src) for fp in loaded for src in fp.sources if src.segments is None]
    if raster:
        eng = make_engine(opts.engine) if isinstance(opts.engine, str) else opts.engine
        _read_raster(raster, eng, opts, result, progress)

    scorers = scorers or default_scorers()
    for fp in loaded:
        result.documents.extend(_documents_of(fp, scorers, result.errors))
    return result


def _text_layer_page(name: str, src: SourcePage) -> Page:
    return Page(
        file=name,
        number=src.number,
        width=src.width,
        height=src.height,
        dpi=src.dpi,
        segments=list(src.segments or []),
        method=Method.TEXT_LAYER,
        quality=Quality(dpi=src.dpi, steps=["text_layer"]),
    )


def _read_raster(
    raster: list[tuple[_FilePages, SourcePage]],
    engine: OcrEngine,
    opts: ExtractOptions,
    result: ExtractResult,
    progress: bool,
) -> None:
    bar = _progress_bar(len(raster), progress)
    try:
        for start in range(0, len(raster), BATCH_PAGES):
            batch = raster[start : start + BATCH_PAGES]
            jobs: list[PageJob] = []
            owners: dict[str, tuple[_FilePages, SourcePage]] = {}
            for fp, src in batch:
                key = f"{fp.name}#{src.number}"
                try:
                    image = src.render()
                except IntakeError as exc:
                    result.errors.append(FileError(fp.name, str(exc.code), f"page {src.number}: {exc.message}"))
                    continue
                jobs.append(PageJob(key=key, image=image, dpi=src.dpi, kind=src.kind))
                owners[key] = (fp, src)
            reads = read_pages(
                jobs,
                engine,
                workers=opts.workers,
                page_timeout_s=opts.page_timeout_s,
                on_done=lambda _key: bar.update(1) if bar else None,
            )
            for key, outcome in reads.items():
                fp, src = owners[key]
                if isinstance(outcome, OcrError):
                    result.errors.append(_page_error(fp.name, src.number, outcome))
                    continue
                fp.pages[src.number] = _ocr_page(fp.name, src, outcome, engine)
    finally:
        if bar:
            bar.close()


def _ocr_page(name: str, src: SourcePage, read: PageRead, engine: OcrEngine) -> Page:
    return Page(
        file=name,
        number=src.number,
        width=read.width,
        height=read.height,
        dpi=read.dpi,
        segments=read.segments,
        method=engine.method,
        quality=read.quality,
    )


def _page_error(name: str, number: int, err: OcrError) -> FileError:
    if err.code is ErrorCode.OCR_TIMEOUT:
        msg = f"第{number}页识别超时 / page {number}: OCR ran over its time limit"
    else:
        msg = f"第{number}页识别失败 / page {number}: OCR failed ({err.message})"
    return FileError(name, str(err.code), msg)


def _documents_of(fp: _FilePages, scorers: dict[DocType, Scorer], errors: list[FileError]) -> list[Document]:
    pages = [fp.pages[n] for n in sorted(fp.pages)]
    if not pages:
        return []
    classes: list[PageClass] = [classify_text(p.text, scorers) for p in pages]
    docs: list[Document] = []
    sources = {s.number: s for s in fp.sources}
    for run in split_pages(pages, classes):
        doc = Document(fp.name, run.pages, run.type, run.confidence)
        _attach_page_images_evidence(doc, sources)
        try:
            doc.fields = _extract(doc)
        except Exception as exc:  # an extractor bug must not lose the bundle
            log.exception("extractor for %s failed on %s", doc.type, doc.file)
            errors.append(FileError(fp.name, str(ErrorCode.INTERNAL),
                                    f"字段提取出错 / field extraction failed on pages "
                                    f"{[p.number for p in doc.pages]}: {type(exc).__name__}"))
        docs.append(doc)
    return docs


def _read_qr(page: Page, image) -> None:
    from intake.qr import decode_qr

    page.qr_payloads = decode_qr(image)


def _read_seal(page: Page, image) -> None:
    from extractors.seal import detect_seal

    page.seal = detect_seal(image)


# Evidence only the page image holds, read for the document types that use it,
# so that no other document's pages are rendered again for nothing.
_IMAGE_EVIDENCE = {DocType.VAT_INVOICE: _read_qr, DocType.CONTRACT: _read_seal}


def _attach_page_images_evidence(doc: Document, sources: dict[int, SourcePage]) -> None:
    reader = _IMAGE_EVIDENCE.get(doc.type)
    if reader is None:
        return
    for page in doc.pages:
        src = sources.get(page.number)
        if src is None:
            continue
        try:
            image = src.render()
        except IntakeError:
            continue  # the text is still read; the image-only evidence is absent
        reader(page, image)


def _extract(doc: Document) -> dict:
    from extractors.registry import extractor_for

    extractor = extractor_for(doc.type)
    if extractor is None:
        return {}
    fields = extractor.extract([upright(p) for p in doc.pages])
    return to_upload_frame(fields, doc.pages)


def _progress_bar(total: int, enabled: bool):
    if not enabled or total < 2:
        return None
    from tqdm import tqdm

    # disable=None: no bar when stderr is not a terminal (logs, CI, pipes)
    return tqdm(total=total, unit="page", desc="OCR", leave=False, disable=None)
