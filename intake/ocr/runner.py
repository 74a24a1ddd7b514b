"""Read many pages in parallel, one worker process per core, each page time-limited.

Every page runs in a worker process, even a single page with ``workers=1``: a page
limit can only be enforced by killing the process, since neither a Tesseract
subprocess wait nor an onnxruntime call can be interrupted from inside reliably
(a signal handler does not run until the C call returns). Forking a warm worker
costs ~0.1 s, which is small next to OCR's seconds per page.

The engine is sent once per worker (initializer), pickled, so a model loaded in the
parent is never shared with a child: each worker loads its own on first use.

A job may carry the page's ``render`` callable instead of its pixels: the worker then
decodes or rasterises the page itself. That is what the pipeline does: pages are
decoded in parallel, a 4000 x 3000 photo is not pickled through a pipe (36 MB), and
every page of a file can be queued at once without holding their images in memory.
A job may also carry an ``evidence`` hook, run in the worker on the page image and
its segments, whose answer comes back in ``PageRead.evidence`` (the pipeline reads
an invoice's QR code there, so the page is not decoded a second time).
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from pebble import ProcessExpired, ProcessPool

from intake.errors import ErrorCode, InputError, IntakeError, OcrError
from intake.model import Quality, Segment
from intake.ocr.base import OcrEngine
from intake.preprocess import CleanOptions, clean_page
from intake.preprocess.imageops import map_bbox

# Legibility, calibrated with RapidOCR on 3 invoice photos and 6 licences against
# Gaussian-blurred copies (sigma 3 and 6 px at 32 px text). Sharp pages: 150-700
# characters at confidence 0.73-0.99, blur 0. Sigma 6, unreadable to a clerk too:
# 5-62 characters, but what little is read keeps a high confidence (0.5-0.95), and
# blur 0.48-1.0. Sigma 3 pages (still read, blur up to 0.61) kept 83-674 characters.
# So on a blurred page the amount of text found is what tells.
MIN_CHARS = 20  # fewer characters than this ...
MIN_SPARSE_CONF = 0.80  # ... at a mean confidence under this: nothing readable
BLURRY = 0.45  # from this blur on, little text means the blur ate it
FULL_PAGE_CHARS = 150  # a blurred page reading fewer characters is discounted
MIN_LEGIBILITY = 0.60
MAX_BLUR = 0.90


log = logging.getLogger(__name__)

# (page image, segments in its pixels) -> anything picklable; run in the worker
Evidence = Callable[[np.ndarray, list[Segment]], Any]


@dataclass
class PageJob:
    key: str
    image: np.ndarray | None  # uint8 BGR or grey, the page image as the user gave it ...
    dpi: int
    kind: str  # "image" | "pdf_scan"
    # ... or None and this (picklable) callable returns it, in the worker; it may
    # raise InputError (the file went away or broke), which fails that page only
    render: Callable[[], np.ndarray] | None = None
    evidence: Evidence | None = None  # run on the page image after OCR, in the worker


@dataclass
class PageRead:
    key: str
    segments: list[Segment]  # boxes in pixels of the job's original page image
    quality: Quality  # quality.dpi == dpi: the frame the boxes are in
    width: int
    height: int
    dpi: int
    evidence: Any = None  # what the job's evidence hook returned (None: no hook, or it failed)


def legibility(segments: list[Segment], blur: float) -> tuple[float, bool]:
    """(score 0..1, legible?): the engine's confidence weighted by text length,
    discounted by blur past the middle of its scale and, on a blurred page, by how
    little text was found."""
    lengths = [len(s.text.strip()) for s in segments]
    chars = sum(lengths)
    conf = sum(s.confidence * n for s, n in zip(segments, lengths)) / chars if chars else 0.0
    score = conf * (1.0 - max(0.0, blur - 0.5))
    if blur >= BLURRY:
        score *= min(1.0, chars / FULL_PAGE_CHARS)
    sparse = chars < MIN_CHARS and conf < MIN_SPARSE_CONF
    legible = not (sparse or blur >= MAX_BLUR or score < MIN_LEGIBILITY)
    return score, legible


def read_page(job: PageJob, engine: OcrEngine) -> PageRead:
    """Clean, recognise and map one page back to its original pixels (in-process;
    raises OcrError). An engine may carry ``clean_options`` (CleanOptions) to change
    the clean-up it gets (Tesseract does: no red-channel step)."""
    options = getattr(engine, "clean_options", None) or CleanOptions()
    image = _page_image(job)
    clean = clean_page(image, job.dpi, kind=job.kind, options=options)
    found = engine.recognize(clean.image)
    h, w = image.shape[:2]
    segments = [
        replace(s, bbox=map_bbox(clean.transform, s.bbox, w, h)) for s in found
    ]
    q = clean.quality
    q.dpi = job.dpi
    q.legibility, q.legible = legibility(segments, q.blur)
    del clean
    evidence = None
    if job.evidence is not None:
        try:
            evidence = job.evidence(image, segments)
        except Exception:  # evidence is a bonus: the caller reads it again if it must
            log.debug("evidence hook failed on %s", job.key, exc_info=True)
    return PageRead(key=job.key, segments=segments, quality=q, width=w, height=h, dpi=job.dpi,
                    evidence=evidence)


def _page_image(job: PageJob) -> np.ndarray:
    if job.image is not None:
        return job.image
    if job.render is None:
        raise ValueError(f"page job {job.key!r} has neither an image nor a render callable")
    return job.render()


# Set in each worker process by its initializer, never in the parent.
_worker_engine: OcrEngine | None = None


def _init_worker(engine_bytes: bytes) -> None:
    global _worker_engine
    _worker_engine = pickle.loads(engine_bytes)
    # (the PDF loader's render lock is renewed in every forked child by the loader)


# What a worker sends back when a page fails: (kind, code, message), kind "input"
# (the page could not be rendered) or "ocr". An exception with keyword arguments does
# not survive pickling intact.
_Failure = tuple[str, str, str]


def _work(job: PageJob) -> PageRead | _Failure:
    """Runs in a worker."""
    assert _worker_engine is not None
    try:
        return read_page(job, _worker_engine)
    except InputError as e:
        return ("input", str(e.code), e.message)
    except OcrError as e:
        return ("ocr", str(e.code), e.message)
    except Exception as e:  # a bug in clean-up or an engine: that page fails only
        return ("ocr", str(ErrorCode.OCR_FAILED), f"{type(e).__name__}: {e}")


class OcrPool:
    """Worker processes kept across calls, for a long-running process (the service).

    ``read_pages`` otherwise starts a pool per call, and every worker loads the
    engine's models again (about 2 s for RapidOCR). The owner closes it; a worker
    killed at a page's time limit is replaced by pebble, engine and all.
    """

    def __init__(self, engine: OcrEngine, workers: int | None = None):
        self.engine = engine
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._pool = ProcessPool(max_workers=self.workers, initializer=_init_worker,
                                 initargs=(pickle.dumps(engine),))

    def schedule(self, job: PageJob, timeout_s: float) -> Future:
        return self._pool.schedule(_work, args=(job,), timeout=timeout_s)

    def close(self) -> None:
        self._pool.close()
        self._pool.join()

    def __enter__(self) -> OcrPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_pages(
    jobs: list[PageJob],
    engine: OcrEngine,
    *,
    workers: int | None = None,
    page_timeout_s: float = 120,
    on_done: Callable[[str], None] | None = None,
    on_result: Callable[[str, PageRead | IntakeError], None] | None = None,
    pool: OcrPool | None = None,
) -> dict[str, PageRead | IntakeError]:
    """Read ``jobs`` in worker processes; every key gets a PageRead or an error.

    A page that overruns ``page_timeout_s`` (counted from when a worker picks it up)
    is killed and gets OCR_TIMEOUT; a page whose engine fails or whose worker dies
    gets OCR_FAILED (an OcrError); a page whose ``render`` fails gets that
    InputError; the other pages carry on. Error messages do not repeat the key (the
    dict does). ``on_done(key)`` and then ``on_result(key, outcome)`` are called in
    this process as each page finishes, in completion order, while the workers go on
    with the other pages (the caller can work on what is finished meanwhile).

    Without ``pool`` a pool is started for the call and shut down on every way out,
    so no process outlives it. With one (an ``OcrPool`` of the same engine) its
    warm workers are used and stay; pages of an interrupted call are cancelled.
    """
    if not jobs:
        return {}
    keys = [j.key for j in jobs]
    if len(set(keys)) != len(keys):
        raise ValueError("page job keys must be unique")
    if pool is not None and pool.engine is not engine:
        raise ValueError("the pool was started for another engine")
    results: dict[str, PageRead | IntakeError] = {}
    own = pool is None
    if own:
        pool = OcrPool(engine, max(1, min(workers or os.cpu_count() or 1, len(jobs))))
    finished = False
    futures: dict[Future, str] = {}
    try:
        futures = {pool.schedule(j, page_timeout_s): j.key for j in jobs}
        for fut in as_completed(futures):
            key = futures[fut]
            results[key] = _outcome(fut, page_timeout_s)
            if on_done is not None:
                on_done(key)
            if on_result is not None:
                on_result(key, results[key])
        finished = True
    finally:
        if own:
            if finished:
                pool.close()
            else:  # interrupted or a callback raised: kill what is still running
                pool._pool.stop()
                pool._pool.join()
        elif not finished:
            for fut in futures:
                fut.cancel()  # pebble stops a running page's worker; the pool replaces it
    return {k: results[k] for k in keys}


def _outcome(fut: Future, timeout_s: float) -> PageRead | IntakeError:
    try:
        res = fut.result()
    except FutureTimeout:
        return OcrError(f"OCR took longer than {timeout_s:g} s", code=ErrorCode.OCR_TIMEOUT)
    except ProcessExpired as e:
        return OcrError(f"OCR worker died (exit code {e.exitcode})")
    except Exception as e:  # pickling or pool trouble for this page
        return OcrError(f"{type(e).__name__}: {e}")
    if isinstance(res, tuple):
        kind, code, message = res
        if kind == "input":
            return InputError(message, code=ErrorCode(code))
        return OcrError(message, code=ErrorCode(code))
    return res
