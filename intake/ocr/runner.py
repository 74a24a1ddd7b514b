"""Read many pages in parallel, one worker process per core, each page time-limited.

Every page runs in a worker process, even a single page with ``workers=1``: a page
limit can only be enforced by killing the process, since neither a Tesseract
subprocess wait nor an onnxruntime call can be interrupted from inside reliably
(a signal handler does not run until the C call returns). Forking a warm worker
costs ~0.1 s, which is small next to OCR's seconds per page.

The engine is sent once per worker (initializer), pickled, so a model loaded in the
parent is never shared with a child: each worker loads its own on first use.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, replace

import numpy as np
from pebble import ProcessExpired, ProcessPool

from intake.errors import ErrorCode, OcrError
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


@dataclass
class PageJob:
    key: str
    image: np.ndarray  # uint8 BGR or grey, the page image as the user gave it
    dpi: int
    kind: str  # "image" | "pdf_scan"


@dataclass
class PageRead:
    key: str
    segments: list[Segment]  # boxes in pixels of the job's original page image
    quality: Quality  # quality.dpi == dpi: the frame the boxes are in
    width: int
    height: int
    dpi: int


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
    clean = clean_page(job.image, job.dpi, kind=job.kind, options=options)
    found = engine.recognize(clean.image)
    h, w = job.image.shape[:2]
    segments = [
        replace(s, bbox=map_bbox(clean.transform, s.bbox, w, h)) for s in found
    ]
    q = clean.quality
    q.dpi = job.dpi
    q.legibility, q.legible = legibility(segments, q.blur)
    return PageRead(key=job.key, segments=segments, quality=q, width=w, height=h, dpi=job.dpi)


# Set in each worker process by its initializer, never in the parent.
_worker_engine: OcrEngine | None = None


def _init_worker(engine_bytes: bytes) -> None:
    global _worker_engine
    _worker_engine = pickle.loads(engine_bytes)


def _work(job: PageJob) -> PageRead | tuple[str, str]:
    """Runs in a worker. Errors come back as (code, message): an exception with
    keyword arguments does not survive pickling intact."""
    assert _worker_engine is not None
    try:
        return read_page(job, _worker_engine)
    except OcrError as e:
        return (str(e.code), e.message)
    except Exception as e:  # a bug in clean-up or an engine: that page fails only
        return (str(ErrorCode.OCR_FAILED), f"{type(e).__name__}: {e}")


def read_pages(
    jobs: list[PageJob],
    engine: OcrEngine,
    *,
    workers: int | None = None,
    page_timeout_s: float = 120,
    on_done: Callable[[str], None] | None = None,
) -> dict[str, PageRead | OcrError]:
    """Read ``jobs`` in worker processes; every key gets a PageRead or an OcrError.

    A page that overruns ``page_timeout_s`` (counted from when a worker picks it up)
    is killed and gets OCR_TIMEOUT; a page whose engine fails or whose worker dies
    gets OCR_FAILED; the other pages carry on. Error messages do not repeat the key
    (the dict does). ``on_done(key)`` is called in this
    process as each page finishes, in completion order. The pool is shut down on
    every way out, so no process outlives the call.
    """
    if not jobs:
        return {}
    keys = [j.key for j in jobs]
    if len(set(keys)) != len(keys):
        raise ValueError("page job keys must be unique")
    n = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    results: dict[str, PageRead | OcrError] = {}
    pool = ProcessPool(max_workers=n, initializer=_init_worker,
                       initargs=(pickle.dumps(engine),))
    finished = False
    try:
        futures = {pool.schedule(_work, args=(j,), timeout=page_timeout_s): j.key for j in jobs}
        for fut in as_completed(futures):
            key = futures[fut]
            results[key] = _outcome(fut, page_timeout_s)
            if on_done is not None:
                on_done(key)
        finished = True
    finally:
        if finished:
            pool.close()
        else:  # interrupted or on_done raised: kill what is still running
            pool.stop()
        pool.join()
    return {k: results[k] for k in keys}


def _outcome(fut: Future, timeout_s: float) -> PageRead | OcrError:
    try:
        res = fut.result()
    except FutureTimeout:
        return OcrError(f"OCR took longer than {timeout_s:g} s", code=ErrorCode.OCR_TIMEOUT)
    except ProcessExpired as e:
        return OcrError(f"OCR worker died (exit code {e.exitcode})")
    except Exception as e:  # pickling or pool trouble for this page
        return OcrError(f"{type(e).__name__}: {e}")
    if isinstance(res, tuple):
        code, message = res
        return OcrError(message, code=ErrorCode(code))
    return res
