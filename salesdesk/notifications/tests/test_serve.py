"""`salesdesk serve` and `salesdesk worker` as real processes, on a database of their own."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command

# One xdist worker runs the module, so the migrated database is built once.
pytestmark = pytest.mark.xdist_group("serve")

TIMEOUT = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _salesdesk(*args: str) -> list[str]:
    return [sys.executable, "-m", "salesdesk", *args]


def _base_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        SALESDESK_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="salesdesk.config.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture(scope="module")
def app_env(tmp_path_factory):
    """A data dir and a migrated database: SQLite in the dir, or a fresh PostgreSQL database."""
    data_dir = tmp_path_factory.mktemp("serve")
    env = _base_env(data_dir)
    url = os.environ.get("DATABASE_URL", "")
    admin_url = name = None
    if url.startswith(("postgres", "pgsql")):
        import psycopg

        name = f"salesdesk_serve_{uuid.uuid4().hex[:10]}"
        admin_url = urlsplit(url)._replace(scheme="postgresql", path="/postgres").geturl()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlsplit(url)._replace(path=f"/{name}").geturl()
    try:
        subprocess.run(
            _salesdesk("migrate", "--no-input", "-v", "0"), env=env, check=True, timeout=300
        )
        yield env
    finally:
        if name is not None:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_for_health(url: str, process: subprocess.Popen, log: Path) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            with opener.open(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {TIMEOUT} s:\n{log.read_text()}")


def _wait_for_text(log: Path, pattern: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not re.search(pattern, log.read_text()):
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, f"{pattern!r} not in the log:\n{log.read_text()}"
        time.sleep(0.2)


def test_serve_starts_web_and_worker_and_stops_both_on_sigterm(app_env, tmp_path):
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        serve = subprocess.Popen(
            _salesdesk("serve", "--port", str(port), "--workers", "1"),
            env=app_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    pids: list[int] = []
    try:
        _wait_for_health(f"http://127.0.0.1:{port}/healthz", serve, log)
        output = log.read_text()
        assert f"salesdesk is running on http://127.0.0.1:{port}" in output
        pids = [int(pid) for pid in re.search(r"web pid (\d+), worker pid (\d+)", output).groups()]
        assert all(_alive(pid) for pid in pids)
        # The web answers before the worker has finished loading Django; a SIGTERM before
        # the worker's own handler is in place would end it without its goodbye line.
        _wait_for_text(log, r"salesdesk worker \S+ started", serve)
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=TIMEOUT) == 0, log.read_text()
        assert not [pid for pid in pids if _alive(pid)]
        assert "salesdesk worker stopped" in log.read_text()
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        for pid in pids:
            if _alive(pid):
                os.killpg(pid, signal.SIGKILL)


def test_serve_stops_the_web_server_when_the_worker_dies(app_env, tmp_path):
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        serve = subprocess.Popen(
            _salesdesk("serve", "--port", str(port), "--workers", "1"),
            env=app_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    pids: list[int] = []
    try:
        _wait_for_health(f"http://127.0.0.1:{port}/healthz", serve, log)
        pids = [
            int(p) for p in re.search(r"web pid (\d+), worker pid (\d+)", log.read_text()).groups()
        ]
        os.kill(pids[1], signal.SIGKILL)
        assert serve.wait(timeout=TIMEOUT) == 1
        assert "the worker process stopped unexpectedly" in log.read_text()
        assert not _alive(pids[0])
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        for pid in pids:
            if _alive(pid):
                os.killpg(pid, signal.SIGKILL)


def test_worker_process_stops_cleanly_on_sigterm(app_env, tmp_path):
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            _salesdesk("worker"), env=app_env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + TIMEOUT
        while "salesdesk worker" not in log.read_text() or "started" not in log.read_text():
            assert worker.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=TIMEOUT) == 0, log.read_text()
        assert "salesdesk worker stopped" in log.read_text()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def test_serve_refuses_a_database_that_is_not_migrated(tmp_path):
    result = subprocess.run(
        _salesdesk("serve", "--port", str(_free_port())),
        env=_base_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 1
    assert "run `salesdesk migrate` first" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "0"], "--port: expected a number from 1 to 65535, got 0"),
        (["--port", "http"], "--port: expected a whole number, got 'http'"),
        (["--host", "bad host!"], "--host: expected an IP address or a host name"),
        (["--workers", "0"], "--workers: expected a number from 1 to 64, got 0"),
    ],
)
def test_serve_refuses_bad_options(args, message):
    with pytest.raises(CommandError) as caught:
        call_command("serve", *args)
    assert message in str(caught.value)


def test_serve_accepts_ipv6_and_host_names():
    from salesdesk.core.management.commands.serve import bind_address, clean_host

    assert bind_address(clean_host("[::1]"), 8000) == "[::1]:8000"
    assert bind_address(clean_host("sales.example.com"), 80) == "sales.example.com:80"
