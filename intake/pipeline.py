"""From uploaded files to documents with fields: the extraction job, step by step.

    load (sniff, split into pages, text layer or raster)
      → read raster pages (render + clean-up + OCR, in parallel, with a per-page
        time limit)
      → classify pages → cut each file into documents
      → decode QR codes where a document needs them → extract fields

A file that cannot be read becomes a ``FileError`` and the rest go on; a page whose
OCR fails or overruns becomes a ``FileError`` for that page, and the file's other
pages go on.

Speed: every raster page of the call goes to one worker pool at once, as a render
callable (the worker decodes or rasterises it: in parallel, and no page image is
pickled through a pipe or held by this process). Each file is classified and
extracted here as soon as its last page is read, while the workers go on with the
other files' pages, so this process's share overlaps the OCR instead of following
it. A worker also decodes the QR code of a page whose text reads as an invoice (and
looks for the seal on a contract page) while it holds the image, so those pages are
not decoded again here; when the document's type turns out otherwise, that
evidence is read here as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from intake.classify import PageClass, Scorer, classify_text, default_scorers
from intake.errors import ErrorCode, IntakeError, OcrError
from intake.loaders import Limits, SourcePage, load_file
from intake.model import DocType, Document, ExtractResult, FileError, Method, Page, Quality, Segment
from intake.ocr.base import OcrEngine
from intake.ocr.registry import make_engine
from intake.ocr.runner import OcrPool, PageJob, PageRead, read_pages
from intake.split import split_pages
from intake.upright import to_upload_frame, upright

log = logging.getLogger(__name__)

DEFAULT_ENGINE = "rapidocr"


@dataclass(frozen=True)
class ExtractOptions:
    engine: str | OcrEngine = DEFAULT_ENGINE
    workers: int | None = None
    page_timeout_s: float = 120.0
    scan_dpi: int = 300
    limits: Limits = field(default_factory=Limits)
    # Warm OCR workers kept by a long-running caller (the service); its engine is used.
    pool: OcrPool | None = None


@dataclass
class _FilePages:
    name: str
    sources: list[SourcePage]
    pages: dict[int, Page] = field(default_factory=dict)
    unread: int = 0  # raster pages still out with the OCR workers
    documents: list[Document] | None = None  # set once classified and extracted
    errors: list[FileError] = field(default_factory=list)  # from extraction
    evidence: dict[int, tuple[DocType, Any]] = field(default_factory=dict)  # read by a worker


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
        name = _utf8_name((display_names or {}).get(path, path.name))
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
    scorers = scorers or default_scorers()

    def finish_ready() -> None:
        for fp in loaded:
            if fp.documents is None and fp.unread == 0:
                fp.documents = _documents_of(fp, scorers, fp.errors)

    if raster:
        if opts.pool is not None:
            eng = opts.pool.engine
        else:
            eng = make_engine(opts.engine) if isinstance(opts.engine, str) else opts.engine
        _read_raster(raster, eng, opts, result, progress, finish_ready)
    finish_ready()
    for fp in loaded:
        result.documents.extend(fp.documents or [])
    for fp in loaded:
        result.errors.extend(fp.errors)
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
    on_file_read: Callable[[], None],
) -> None:
    """OCR every raster page in one pool; ``on_file_read()`` runs here each time a
    file's last page is back (and at the first page back, for text-only files)."""
    bar = _progress_bar(len(raster), progress)
    owners: dict[str, tuple[_FilePages, SourcePage]] = {}
    jobs: list[PageJob] = []
    for i, (fp, src) in enumerate(raster):
        key = f"{i}:{fp.name}#{src.number}"  # two uploads may share a name
        owners[key] = (fp, src)
        fp.unread += 1
        jobs.append(PageJob(key=key, image=None, dpi=src.dpi, kind=src.kind,
                            render=src.render, evidence=_worker_evidence))
    first = [True]

    def on_result(key: str, outcome: PageRead | IntakeError) -> None:
        fp, src = owners[key]
        fp.unread -= 1
        if isinstance(outcome, PageRead):
            fp.pages[src.number] = _ocr_page(fp.name, src, outcome, engine)
            if outcome.evidence is not None:
                fp.evidence[src.number] = outcome.evidence
        if fp.unread == 0 or first[0]:
            first[0] = False
            on_file_read()

    try:
        reads = read_pages(
            jobs,
            engine,
            workers=opts.workers,
            page_timeout_s=opts.page_timeout_s,
            on_done=lambda _key: bar.update(1) if bar else None,
            on_result=on_result,
            pool=opts.pool,
        )
    finally:
        if bar:
            bar.close()
    for key, outcome in reads.items():  # page errors in page order
        if isinstance(outcome, PageRead):
            continue
        fp, src = owners[key]
        if isinstance(outcome, OcrError):
            result.errors.append(_page_error(fp.name, src.number, outcome))
        else:  # the page could not be rendered
            result.errors.append(FileError(fp.name, str(outcome.code), f"page {src.number}: {outcome.message}"))


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
        _attach_page_images_evidence(doc, sources, fp.evidence)
        try:
            doc.fields = _extract(doc)
        except Exception as exc:  # an extractor bug must not lose the bundle
            log.exception("extractor for %s failed on %s", doc.type, doc.file)
            errors.append(FileError(fp.name, str(ErrorCode.INTERNAL),
                                    f"字段提取出错 / field extraction failed on pages "
                                    f"{[p.number for p in doc.pages]}: {type(exc).__name__}"))
        docs.append(doc)
    return docs


def _decode_qr(image: np.ndarray) -> list[str]:
    from intake.qr import decode_qr

    return decode_qr(image)


def _detect_seal(image: np.ndarray) -> Any:
    from extractors.seal import detect_seal

    return detect_seal(image)


# Evidence only the page image holds, read for the document types that use it,
# so that no other document's pages are rendered again for nothing:
# type -> (Page attribute, reader of the page image).
_IMAGE_EVIDENCE: dict[DocType, tuple[str, Callable[[np.ndarray], Any]]] = {
    DocType.VAT_INVOICE: ("qr_payloads", _decode_qr),
    DocType.CONTRACT: ("seal", _detect_seal),
}


def _worker_evidence(image: np.ndarray, segments: list[Segment]) -> tuple[DocType, Any] | None:
    """Runs in an OCR worker on the page it just read: when the page's own text
    classifies as a type that needs image evidence, read it now, while the image is
    at hand. A guess: the document's type is settled later, with its neighbours, and
    evidence for another type is ignored (see ``_attach_page_images_evidence``)."""
    text = "\n".join(s.text for s in segments)  # Page.text
    page_type = classify_text(text, default_scorers()).type
    entry = _IMAGE_EVIDENCE.get(page_type)
    if entry is None:
        return None
    return (page_type, entry[1](image))


def _attach_page_images_evidence(
    doc: Document, sources: dict[int, SourcePage],
    early: dict[int, tuple[DocType, Any]] | None = None,
) -> None:
    entry = _IMAGE_EVIDENCE.get(doc.type)
    if entry is None:
        return
    attr, reader = entry
    for page in doc.pages:
        known = (early or {}).get(page.number)
        if known is not None and known[0] is doc.type:  # read by the OCR worker
            setattr(page, attr, known[1])
            continue
        src = sources.get(page.number)
        if src is None:
            continue
        try:
            image = src.render()
        except IntakeError:
            continue  # the text is still read; the image-only evidence is absent
        setattr(page, attr, reader(image))


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


def _utf8_name(name: str) -> str:
    """A file name as valid UTF-8 text for the report: bytes that were not UTF-8 on disk
    (Python keeps them as lone surrogates) become U+FFFD, so the JSON stays printable."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
