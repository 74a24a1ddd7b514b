"""Background work: one job interface, two ways to run it.

    JobQueue.dispatch(job_id)   hand a queued job to whoever runs jobs
    work.run_job(services, id)  what running one means (the same code in both modes)

``InProcessQueue`` runs jobs on a thread of the server (the embedded default) and
takes up unfinished ones at start-up; ``CeleryQueue`` sends them to ``docintake
worker`` processes through Redis. Either way the job row in the database is the
truth: a job is claimed with a lease, and a result is written only by the holder of
the lease, once.
"""

from api.jobs.base import JobQueue

__all__ = ["JobQueue"]
