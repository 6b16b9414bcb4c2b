"""`salesdesk worker`: run background jobs and the scheduler until stopped (DESIGN §2).

The django-tasks-db worker processes every queue in the main thread; a daemon thread calls
`schedule.run_due()` every 30 seconds. SIGTERM or SIGINT stops both cleanly: the task in
progress finishes, the scheduler thread closes its database connections and exits.
"""

import logging
import os
import signal
import socket
import threading

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connections
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from salesdesk.core import schedule

logger = logging.getLogger("salesdesk.worker")

SCHEDULER_PERIOD = 30.0


def scheduler_loop(stop: threading.Event, period: float = SCHEDULER_PERIOD) -> None:
    """Enqueue due schedules until `stop` is set; runs in its own thread."""
    try:
        while not stop.is_set():
            try:
                started = schedule.run_due()
                if started:
                    logger.info("scheduled: %s", ", ".join(started))
            except Exception:  # a database hiccup must not end the scheduler
                logger.exception("scheduler pass failed")
            finally:
                close_old_connections()
            stop.wait(period)
    finally:
        connections.close_all()


def _interval(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise CommandError(f"--interval: expected a number of seconds, got {value!r}") from None
    if not 0.1 <= number <= 60:
        raise CommandError(f"--interval: expected 0.1 to 60 seconds, got {number}")
    return number


class Command(BaseCommand):
    help = "Run background jobs (all queues) and the scheduler until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", default="1", help="Seconds to wait when no job is queued (default 1)."
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Start due schedules once, run every queued job, then exit.",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Only run jobs; another worker runs the schedules.",
        )

    def handle(self, *args, **options) -> None:
        interval = _interval(str(options["interval"]))
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                "TASKS['default'] is not django_tasks_db.DatabaseBackend; "
                "this worker only runs jobs stored in the database."
            )
        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=options["batch"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64],
            excluded_queue_names=[],
        )
        if options["batch"]:
            if not options["no_scheduler"]:
                schedule.run_due()
            worker.run()
            return
        self._run_forever(worker, with_scheduler=not options["no_scheduler"])

    def _run_forever(self, worker: Worker, *, with_scheduler: bool) -> None:
        stop = threading.Event()
        thread = threading.Thread(
            target=scheduler_loop, args=(stop,), name="salesdesk-scheduler", daemon=True
        )

        def shutdown(signum, frame) -> None:
            stop.set()
            worker.shutdown(signum, frame)

        previous = {sig: signal.signal(sig, shutdown) for sig in (signal.SIGTERM, signal.SIGINT)}
        if with_scheduler:
            thread.start()
        self.stdout.write(f"salesdesk worker {worker.worker_id} started")
        self.stdout.flush()
        try:
            worker.run()
        finally:
            stop.set()
            if thread.is_alive():
                thread.join(timeout=10)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.stdout.write("salesdesk worker stopped")
            self.stdout.flush()
