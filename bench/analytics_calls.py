"""Benchmark: analytics over a 6-million-line history (issue #7, A2): every metrics API call and
the overview dashboard over a one-year range, p95 against the 500 ms target.

    python bench/analytics_calls.py [--scale 1.0] [--repeat 10]
        [--database-url postgres://postgres@127.0.0.1:5432/salesdesk_bench_analytics]

1. the history of bench/history_data.py (150,000 customers, 1,500,000 orders, 6,000,000 lines
   times --scale) imported with `salesdesk import history` into a data dir kept under --work
   (and, for PostgreSQL, the database of the URL), unless --work already holds that import;
   the import's wall time, rows/s and peak memory are printed (and recorded by
   bench/history_import.py's table when this run imported);
2. `salesdesk serve --workers 2` (gunicorn + job worker) on a free port on 127.0.0.1;
3. a sales manager (all customers) and a salesperson (own customers only) with API tokens and
   a browser session each;
4. each call once to warm up, then --repeat times in a row: p50, p95 and max wall time seen by
   the client, per call. Calls: every metric ungrouped and by month, the common slices (region,
   category, salesperson, customer, product, channel, ship mode, month × region), churn by
   quarter, filtered calls, the salesperson's scoped calls, the overview dashboard page and
   the salesperson's own dashboard.

Appends the table to bench/results/analytics_calls-<database>.md (`--no-record` skips it).
"""

import argparse
import http.client
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import (
    Client,
    free_port,
    fresh_environment,
    salesdesk_command,
    serve,
    stop,
    token,
    wait_until_up,
)
from history_data import salesperson_name
from history_import import FILE_LINE, data_dir, seed_users, timed_import

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
YEAR = {"from": "2025-01-01", "to": "2025-12-31"}
METRICS = (
    "revenue",
    "quantity",
    "gross_margin",
    "gross_margin_rate",
    "order_count",
    "average_order_value",
    "customer_count",
    "new_customers",
    "churn_rate",
    "growth_rate",
    "growth_rate_yoy",
    "market_share",
    "on_time_delivery_rate",
    "satisfaction",
)
SLICES = (
    ("revenue", "region", {}),
    ("revenue", "category", {}),
    ("revenue", "salesperson", {}),
    ("revenue", "channel", {}),
    ("revenue", "customer", {}),
    ("revenue", "product", {}),
    ("revenue", "month,region", {}),
    ("gross_margin_rate", "category", {}),
    ("order_count", "category", {}),
    ("order_count", "ship_mode", {}),
    ("customer_count", "industry", {}),
    ("new_customers", "province", {}),
    ("churn_rate", "quarter", {}),
    ("churn_rate", "region", {}),
    ("growth_rate", "month,category", {}),
    ("on_time_delivery_rate", "ship_mode", {}),
    ("revenue", "month", {"region": "华东"}),
    ("revenue", "category", {"industry": "机械制造", "channel": "online"}),
    ("average_order_value", "quarter", {"salesperson": "__salesperson__"}),
)
SCOPED = (
    ("revenue", "month", {}),
    ("customer_count", "", {}),
    ("churn_rate", "", {}),
    ("revenue", "customer", {}),
)


class Session:
    """A logged-in browser session: cookies over plain HTTP to 127.0.0.1."""

    def __init__(self, port: int, username: str, password: str):
        self.port, self.cookies = port, {}
        page = self.request("GET", "/accounts/login/")
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page[1]).group(1)
        body = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": csrf.decode()}
        )
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.origin},
        )
        if status != 302:
            raise RuntimeError(f"login of {username} failed ({status})")

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method, path, body=None, headers=None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(
                method, path, body=body, headers={"Cookie": cookie, **(headers or {})}
            )
            response = connection.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
        finally:
            connection.close()
        return response.status, data


def seed_viewers(env: dict, password: str) -> None:
    script = (
        "from salesdesk.accounts.models import User\n"
        "from salesdesk.accounts.services import system_user, user_create\n"
        "if not User.objects.filter(username='bench_management').exists():\n"
        "    user_create(username='bench_management', roles=['management'], actor=system_user())\n"
        f"names = ['bench_management', {salesperson_name(0)!r}]\n"
        "for user in User.objects.filter(username__in=names):\n"
        f"    user.set_password({password!r}); user.save()\n"
    )
    subprocess.run([*salesdesk_command(), "shell", "-c", script], env=env, check=True)


BUILT = (
    "from salesdesk.analytics.cube import cells_built\n"
    "print('built' if cells_built() else 'not built')\n"
)


def prepare(args, engine: str) -> dict:
    """The environment of a data dir holding the imported history; imports if needed."""
    work = args.work or Path(tempfile.gettempdir()) / f"salesdesk-analytics-{engine}-{args.scale}"
    marker = work / "imported.txt"
    env_dir = work / "data"
    if marker.is_file():
        env = {**os.environ, "SALESDESK_DATA_DIR": str(env_dir), "PYTHONUTF8": "1"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env["SALESDESK_LOG_LEVEL"] = "WARNING"
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        else:
            env.pop("DATABASE_URL", None)
        print(f"reusing the import in {work}: {marker.read_text().strip()}")
        # Code may have gained migrations, or other cuboids, since the import.
        subprocess.run(
            [*salesdesk_command(), "migrate", "--no-input", "-v", "0"], env=env, check=True
        )
        built = subprocess.run(
            [*salesdesk_command(), "shell", "-c", BUILT], env=env, check=True, capture_output=True
        )
        if b"not built" in built.stdout:
            print("the cuboids changed since the import: salesdesk analytics rebuild")
            subprocess.run([*salesdesk_command(), "analytics", "rebuild"], env=env, check=True)
        return env
    work.mkdir(parents=True, exist_ok=True)
    directory = data_dir(args)
    env = fresh_environment(args.database_url, env_dir)
    env["SALESDESK_LANGUAGE"] = "en"
    seed_users(env)
    seconds, _cpu, peak_mb, code, output = timed_import(directory, env)
    sys.stdout.write(output[-2000:])
    if code != 0:
        raise SystemExit(f"the import failed (exit {code})")
    files = [m.groupdict() for m in map(FILE_LINE.match, output.splitlines()) if m]
    lines = sum(int(f["read"].replace(",", "")) for f in files if f["file"] == "order_lines")
    summary = (
        f"{lines:,} order lines imported in {seconds:.0f} s "
        f"({lines / seconds:,.0f} lines/s overall), peak RSS {peak_mb:.0f} MB"
    )
    print(summary)
    marker.write_text(summary + "\n")
    env.pop("SALESDESK_LANGUAGE", None)
    return env


def measure(call, repeat: int) -> tuple[int, list[float]]:
    status, _ = call()  # warm-up (and the first, cold reading)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        status, _ = call()
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            break
    return status, times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--data", type=Path, help="directory of the generated files (reused)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--work", type=Path, help="where the imported data dir is kept")
    parser.add_argument("--database-url", "--database", dest="database_url")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    engine = "PostgreSQL" if args.database_url else "SQLite"
    env = prepare(args, engine)
    password = "bench-Passw0rd!"  # noqa: S105 - a throwaway local account
    seed_viewers(env, password)
    manager = Client(0, token(env, "bench_management"))
    seller = Client(0, token(env, salesperson_name(0)))
    port = free_port()
    manager.port = seller.port = port
    log = Path(tempfile.gettempdir()) / f"salesdesk-bench-analytics-{port}.log"
    server = serve(env, port, 2, log)
    results = []
    try:
        wait_until_up(port, server, 300)
        calls = [(m, g, {}, manager) for m in METRICS for g in ("", "month")]
        calls += [(m, g, f, manager) for m, g, f in SLICES]
        calls += [(m, g, f, seller) for m, g, f in SCOPED]
        for metric, group_by, filters, client in calls:
            filters = {
                k: salesperson_name(0) if v == "__salesperson__" else v for k, v in filters.items()
            }
            query = urlencode({"metric": metric, "group_by": group_by, **YEAR, **filters})
            label = f"{metric} by {group_by or '—'}" + (f" {filters}" if filters else "")
            label += " (salesperson)" if client is seller else ""
            status, times = measure(
                lambda c=client, q=query: c.call("GET", f"/analytics/metrics?{q}"), args.repeat
            )
            results.append((label, status, times))
            print(f"{label}: {status} p95 {p95(times):.0f} ms")
        for username, path in (
            ("bench_management", "/analytics/"),
            (salesperson_name(0), "/analytics/mine/"),
        ):
            session = Session(port, username, password)
            page = f"{path}?{urlencode({'from': YEAR['from'], 'to': YEAR['to']})}"
            status, times = measure(lambda s=session, p=page: s.request("GET", p), args.repeat)
            results.append((f"page {path} ({username})", status, times))
            print(f"page {path}: {status} p95 {p95(times):.0f} ms")
    finally:
        stop(server)
    failed = [label for label, status, _ in results if status != 200]
    slow = [label for label, _, times in results if p95(times) >= 500]
    print(f"{len(results)} calls, {len(failed)} failed, {len(slow)} with p95 ≥ 500 ms")
    if not args.no_record:
        record(engine, args.scale, results)
    return 1 if failed else 0


def record(engine: str, scale: float, results: list) -> None:
    path = RESULTS / f"analytics_calls-{engine.lower()}.md"
    head = (
        ""
        if path.exists()
        else (
            f"# Analytics calls over one year on {engine} (bench/analytics_calls.py)\n\n"
            "Client-side wall time per call in ms, sequential, after one warm-up call.\n"
        )
    )
    lines = [
        head,
        f"\n## {datetime.now():%Y-%m-%d %H:%M}, scale {scale:g}, Python "
        f"{platform.python_version()}, {os.cpu_count()} cores\n\n",
        "| call | status | p50 | p95 | max |\n|---|---:|---:|---:|---:|\n",
    ]
    for label, status, times in results:
        lines.append(
            f"| {label} | {status} | {statistics.median(times):.0f} | {p95(times):.0f} | "
            f"{max(times):.0f} |\n"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.writelines(lines)


if __name__ == "__main__":
    sys.exit(main())
