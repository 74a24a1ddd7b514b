from __future__ import annotations

from typing import Protocol


class JobQueue(Protocol):
    def dispatch(self, job_id: str) -> None:
        """Hand the job on; may raise if the broker is unreachable (the housekeeper retries)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...
