"""The embedded mode: jobs run on one thread of the server process.

One job at a time is right on this design: a job already uses every core for OCR.
At start-up, jobs a previous server left queued or running (it died) are taken up
again; the database, not this thread's queue, is what says which jobs exist.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class InProcessQueue:
    def __init__(self, run: Callable[[str], object]):
        self._run = run
        self._q: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def dispatch(self, job_id: str) -> None:
        self._q.put(job_id)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="docintake-jobs", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        if self._thread is not None:
            self._q.put(None)
            self._thread.join(timeout)
            self._thread = None

    def idle(self) -> bool:
        return self._q.unfinished_tasks == 0

    def _loop(self) -> None:
        while True:
            job_id = self._q.get()
            try:
                if job_id is None:
                    return
                self._run(job_id)
            except Exception:  # run_job records failures itself; this is a last guard
                log.exception("job %s: unexpected failure in the runner", job_id)
            finally:
                self._q.task_done()
