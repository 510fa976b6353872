"""Who works off the queue.

With the database queue (the default), ``aftersales serve`` runs a worker in a thread of its own, like
the periodic jobs' scheduler, so ``make run`` needs nothing else; ``aftersales jobs_worker`` runs one in
a process of its own (several may run: a job is claimed by one). With Redis (``AFTERSALES_JOBS=redis``)
the work is done by ``aftersales jobs_worker`` processes only (RQ's worker, with django-tasks-rq's job
class).
"""

from __future__ import annotations

import logging
import os
import threading

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker

log = logging.getLogger(__name__)
POLL_SECONDS = 2.0


def database_worker(*, batch: bool, name: str) -> Worker:
    return Worker(
        queue_names=[settings.JOBS_QUEUE],
        interval=POLL_SECONDS,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"{name}-{os.getpid()}"[:64],
        excluded_queue_names=[],
    )


def start_worker() -> threading.Event | None:
    """A daemon thread working off the database queue (none with Redis); set the event to stop it."""
    if settings.JOBS_BACKEND != "database":
        return None
    stop = threading.Event()
    worker = database_worker(batch=False, name="serve")

    def run() -> None:
        while not stop.is_set():
            try:
                worker.running = True
                worker.run()
            except Exception:  # the database is away for a moment: try again shortly
                log.exception("background jobs: worker failed")
            finally:
                connections.close_all()
            stop.wait(POLL_SECONDS)

    def stopper() -> None:
        stop.wait()
        worker.running = False

    threading.Thread(target=run, name="aftersales-jobs", daemon=True).start()
    threading.Thread(target=stopper, name="aftersales-jobs-stop", daemon=True).start()
    return stop


def run_worker(*, batch: bool) -> None:
    """The worker of the configured queue in this process (``batch``: until the queue is empty)."""
    if settings.JOBS_BACKEND == "database":
        worker = database_worker(batch=batch, name="worker")
        if not batch:
            worker.configure_signals()
        worker.run()
        return
    call_command(
        "rqworker", settings.JOBS_QUEUE, job_class="django_tasks_rq.Job", burst=batch, with_scheduler=False
    )
