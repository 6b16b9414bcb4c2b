"""A real salesdesk server for benchmarks: a fresh data dir and database, `salesdesk serve`
on a free 127.0.0.1 port, API tokens, and a small JSON client. Only loopback is used."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def salesdesk_command() -> list[str]:
    return [sys.executable, "-m", "salesdesk"]


def fresh_environment(database_url: str | None, data_dir: Path) -> dict:
    """Environment for a new data dir and an empty database, migrated and seeded."""
    env = {**os.environ, "SALESDESK_DATA_DIR": str(data_dir), "PYTHONUTF8": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["SALESDESK_LOG_LEVEL"] = "WARNING"
    if database_url:
        import psycopg

        parts = urlsplit(database_url)
        name = parts.path.lstrip("/") or "salesdesk_bench_orders"
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        env.pop("DATABASE_URL", None)
    subprocess.run([*salesdesk_command(), "migrate", "--no-input", "-v", "0"], env=env, check=True)
    return env


def token(env: dict, username: str) -> str:
    result = subprocess.run(
        [*salesdesk_command(), "createtoken", username, "--name", "bench"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Client:
    """JSON over HTTP to 127.0.0.1 with a bearer token; a new connection per request."""

    def __init__(self, port: int, bearer: str):
        self.port, self.bearer = port, bearer

    def call(self, method: str, path: str, body: dict | None = None, **headers) -> tuple:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        payload = json.dumps(body or {}).encode()
        headers = {
            "Authorization": f"Bearer {self.bearer}",
            "Content-Type": "application/json",
            **headers,
        }
        try:
            connection.request(method, f"/api/v1{path}", body=payload, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        try:
            return response.status, json.loads(data or b"null")
        except ValueError:
            return response.status, {"status": None, "text": data[:300].decode(errors="replace")}


def wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {server.returncode})")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not answer /healthz in time")


def serve(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [*salesdesk_command(), "serve", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as handle:
        return subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)


def stop(server: subprocess.Popen) -> None:
    """SIGTERM to the serve process we started; it stops gunicorn and the worker."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
