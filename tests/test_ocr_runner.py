"""The page runner with fake engines: per-page faults, time limits, no leaked processes."""

from __future__ import annotations

import multiprocessing
import os
import time
from dataclasses import dataclass, field

import cv2
import numpy as np
import pytest

from intake.errors import ErrorCode, OcrError
from intake.model import Method, Segment
from intake.ocr.fakes import (
    CrashingEngine,
    HangingEngine,
    ReplayEngine,
    RoutingEngine,
    SlowEngine,
    image_key,
    blank_page,
)
from intake.ocr.runner import OcrPool, PageJob, PageRead, legibility, read_pages
from intake.preprocess import clean_page, map_bbox

WORDS = [Segment("购买方名称：北京云端科技有限公司", (10, 10, 300, 40), 0.95)] * 3


def _children() -> set[int]:
    """Live (non-zombie) child processes of this test process, from /proc."""
    me, kids = os.getpid(), set()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me and fields[0] != "Z":
            kids.add(int(pid))
    return kids


def _job(key: str, width: int) -> PageJob:
    return PageJob(key=key, image=blank_page(width), dpi=200, kind="pdf_scan")


@pytest.fixture
def no_leaks():  # type: ignore[no-untyped-def]
    before = _children()
    yield
    deadline = time.monotonic() + 5
    while _children() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not (_children() - before), "read_pages left processes behind"
    assert not multiprocessing.active_children()


@pytest.mark.timeout(120)  # the hanging engine sleeps an hour: only the page limit ends this test
def test_crash_and_hang_fail_their_page_only(no_leaks) -> None:  # type: ignore[no-untyped-def]
    engine = RoutingEngine(
        routes={410: CrashingEngine(), 420: HangingEngine(), 430: CrashingEngine(hard=True)},
        default=SlowEngine(0.2, WORDS),
    )
    jobs = [_job("ok1", 400), _job("crash", 410), _job("hang", 420), _job("ok2", 400),
            _job("dies", 430), _job("ok3", 400)]
    done: list[str] = []
    out = read_pages(jobs, engine, workers=2, page_timeout_s=2.0, on_done=done.append)
    assert list(out) == [j.key for j in jobs]  # in job order, every key answered
    assert sorted(done) == sorted(out)
    for key in ("ok1", "ok2", "ok3"):
        page = out[key]
        assert isinstance(page, PageRead), page
        assert [s.text for s in page.segments] == [s.text for s in WORDS]
        assert (page.width, page.height, page.dpi) == (400, 300, 200)
        assert page.quality.dpi == 200
    assert isinstance(out["crash"], OcrError) and out["crash"].code is ErrorCode.OCR_FAILED
    assert isinstance(out["dies"], OcrError) and out["dies"].code is ErrorCode.OCR_FAILED
    assert isinstance(out["hang"], OcrError) and out["hang"].code is ErrorCode.OCR_TIMEOUT
    assert "2 s" in out["hang"].message  # killed at its limit: the hour-long sleep would trip the timeout mark


@pytest.mark.timeout(120)  # the engine sleeps an hour: only the page limit ends this test
def test_single_page_in_one_worker_still_obeys_the_limit(no_leaks) -> None:  # type: ignore[no-untyped-def]
    out = read_pages([_job("p1", 400)], HangingEngine(), workers=1, page_timeout_s=1.0)
    assert isinstance(out["p1"], OcrError) and out["p1"].code is ErrorCode.OCR_TIMEOUT


@dataclass
class PidEngine:
    """Answers with the id of the process that read the page (after a pause, so that
    every worker gets a page)."""

    delay_s: float = 2.0
    name: str = field(default="pid", init=False)
    method: Method = field(default=Method.REPLAY, init=False)

    def recognize(self, image: np.ndarray) -> list[Segment]:
        time.sleep(self.delay_s)
        return [Segment(str(os.getpid()), (0, 0, 10, 10), 0.9)]


def test_pages_run_in_parallel(no_leaks) -> None:  # type: ignore[no-untyped-def]
    # Which processes read the pages, not how long it took: wall time is for bench/.
    jobs = [_job(f"p{i}", 400 + i) for i in range(4)]
    out = read_pages(jobs, PidEngine(), workers=2, page_timeout_s=60)
    assert all(isinstance(v, PageRead) for v in out.values())
    pids = {v.segments[0].text for v in out.values()}
    assert len(pids) == 2 and str(os.getpid()) not in pids


def test_boxes_come_back_in_original_page_pixels(no_leaks) -> None:  # type: ignore[no-untyped-def]
    """A page whose text is twice the target size is halved for OCR; the engine's
    boxes must be doubled on the way back."""
    page = np.full((1400, 1800, 3), 255, np.uint8)
    for row in range(8):
        for col in range(20):
            x, y = 100 + col * 80, 100 + row * 150
            cv2.putText(page, "8", (x, y + 60), cv2.FONT_HERSHEY_SIMPLEX, 2.4, (0, 0, 0), 5)
    seg = Segment("八", (100, 50, 140, 90), 0.9)
    out = read_pages([PageJob("big", page, 300, "image")], ReplayEngine({}, default=[seg]),
                     workers=1)
    read = out["big"]
    assert isinstance(read, PageRead), read
    steps = read.quality.steps
    assert any(s.startswith("downscale:") for s in steps), steps
    width = read.segments[0].bbox[2] - read.segments[0].bbox[0]
    assert 60 <= width <= 100  # 40 px on the cleaned page, ~80 px on the original
    clean = clean_page(page, 300, kind="image")
    assert read.segments[0].bbox == map_bbox(clean.transform, seg.bbox, 1800, 1400)


def test_replay_engine_by_key_and_in_order() -> None:
    a, b = blank_page(300), blank_page(310)
    by_key = ReplayEngine({image_key(a): WORDS[:1]})
    assert by_key.recognize(a) == WORDS[:1]
    with pytest.raises(OcrError):
        by_key.recognize(b)
    in_order = ReplayEngine([WORDS[:1], []])
    assert in_order.recognize(b) == WORDS[:1] and in_order.recognize(a) == []


def test_legibility_from_confidence_and_blur() -> None:
    good = [Segment("营业执照统一社会信用代码九一四四零一零一", (0, 0, 10, 10), 0.95)] * 3
    score, legible = legibility(good, blur=0.1)
    assert legible and score == pytest.approx(0.95)
    assert legibility(good, blur=0.95)[1] is False  # mush, whatever the engine says
    # a blurred page on which little was read: the blur ate the text, even though
    # the few characters read are confident (measured on blurred real pages)
    few = [Segment("营业执照名称类型住所", (0, 0, 10, 10), 0.95)] * 3
    assert legibility(few, blur=0.55)[1] is False
    assert legibility(few * 6, blur=0.55)[1] is True  # 180 characters: read fine
    sparse = [Segment("口口", (0, 0, 10, 10), 0.4)]
    assert legibility(sparse, blur=0.2)[1] is False
    assert legibility([], blur=0.0) == (0.0, False)


def test_no_jobs_and_duplicate_keys() -> None:
    assert read_pages([], SlowEngine(0)) == {}
    with pytest.raises(ValueError):
        read_pages([_job("x", 400), _job("x", 410)], SlowEngine(0))


@pytest.mark.timeout(120)
def test_a_kept_pool_serves_several_calls_with_the_same_workers(no_leaks) -> None:  # type: ignore[no-untyped-def]
    engine = RoutingEngine(routes={420: HangingEngine()}, default=PidEngine(0.5))
    with OcrPool(engine, workers=2) as pool:
        first = read_pages([_job(f"a{i}", 400 + i) for i in range(4)], engine, pool=pool, page_timeout_s=60)
        # a page killed at its limit costs its worker, which the pool replaces
        hung = read_pages([_job("h", 420)], engine, pool=pool, page_timeout_s=1.0)
        second = read_pages([_job(f"b{i}", 400 + i) for i in range(4)], engine, pool=pool, page_timeout_s=60)
    assert isinstance(hung["h"], OcrError) and hung["h"].code is ErrorCode.OCR_TIMEOUT
    before = {v.segments[0].text for v in first.values()}
    after = {v.segments[0].text for v in second.values()}
    assert len(before) == 2 and before & after  # a warm worker from the first call served the second


def test_a_pool_of_another_engine_is_refused() -> None:
    engine = PidEngine(0.0)
    with OcrPool(PidEngine(0.0), workers=1) as pool, pytest.raises(ValueError):
        read_pages([_job("x", 400)], engine, pool=pool)
