"""`salesdesk serve`: everything a user needs in one command (DESIGN §2).

Collects static files, then starts two children: `salesdesk worker` (jobs and schedules)
and gunicorn (the web app). SIGINT or SIGTERM is passed on to both as SIGTERM, which
both treat as "finish what you are doing, then exit"; when either child dies
the other is stopped too and serve exits non-zero, so a supervisor restarts the pair.
The children run in their own process group, so Ctrl+C reaches them once, through serve.
"""

import ipaddress
import re
import signal
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){LABEL}(\.{LABEL})*$")
STOP_SECONDS = 30
POLL_SECONDS = 0.5


def clean_host(value: str) -> str:
    """An IP address or a host name; IPv6 addresses may come with or without brackets."""
    text = value.strip().removeprefix("[").removesuffix("]")
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    if not HOSTNAME.match(text):
        raise CommandError(f"--host: expected an IP address or a host name, got {value!r}")
    return text


def clean_number(name: str, value: str, minimum: int, maximum: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"{name}: expected a whole number, got {value!r}") from None
    if not minimum <= number <= maximum:
        raise CommandError(f"{name}: expected a number from {minimum} to {maximum}, got {number}")
    return number


def _gunicorn_knows(setting: str) -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(known.name == setting for known in KNOWN_SETTINGS)


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class Command(BaseCommand):
    help = "Start the web app (gunicorn) and the job worker; stop both on Ctrl+C or SIGTERM."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", default="8000", help="Port to listen on (default 8000).")
        parser.add_argument(
            "--workers", default="2", help="Web worker processes (default 2, at most 64)."
        )

    def handle(self, *args, **options) -> None:
        host = clean_host(options["host"])
        port = clean_number("--port", str(options["port"]), 1, 65535)
        workers = clean_number("--workers", str(options["workers"]), 1, 64)
        self._check_migrated()
        call_command("collectstatic", interactive=False, verbosity=0)
        connections.close_all()
        received: list[int] = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda signum, frame: received.append(signum))
        children = self._start(host, port, workers)
        url_host = f"[{host}]" if ":" in host else host
        self.stdout.write(f"salesdesk is running on http://{url_host}:{port}")
        self.stdout.write(
            f"web pid {children['web'].pid}, worker pid {children['worker'].pid}; "
            "press Ctrl+C to stop"
        )
        self.stdout.flush()
        self._supervise(children, received)

    def _check_migrated(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not up to date: run `salesdesk migrate` first.")

    def _start(self, host: str, port: int, workers: int) -> dict[str, subprocess.Popen]:
        worker_cmd = [sys.executable, "-m", "salesdesk", "worker"]
        web_cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "salesdesk.config.wsgi:application",
            "-b",
            bind_address(host, port),
            "-w",
            str(workers),
            "--access-logfile",
            "-",
        ]
        if _gunicorn_knows("control_socket_disable"):
            # Newer gunicorn opens a control socket in $HOME; two instances would clash.
            web_cmd.append("--no-control-socket")
        worker = subprocess.Popen(worker_cmd, process_group=0)  # noqa: S603
        try:
            web = subprocess.Popen(web_cmd, process_group=0)  # noqa: S603
        except OSError:
            self._stop({"worker": worker})
            raise
        return {"web": web, "worker": worker}

    def _supervise(self, children: dict[str, subprocess.Popen], received: list[int]) -> None:
        while not received:
            dead = [name for name, child in children.items() if child.poll() is not None]
            if dead:
                name = dead[0]
                code = children[name].returncode
                self._stop(children)
                raise CommandError(f"the {name} process stopped unexpectedly (exit code {code})")
            time.sleep(POLL_SECONDS)
        self.stdout.write("stopping salesdesk …")
        self.stdout.flush()
        self._stop(children)

    def _stop(self, children: dict[str, subprocess.Popen]) -> None:
        """SIGTERM to every live child, wait, then SIGKILL whatever is still running."""
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
