"""Benchmark: `salesdesk import history DIR` of a realistic sales history (issue #7, A1.1).

    python bench/history_import.py [--scale 0.02] [--data DIR]
        [--database-url postgres://postgres@127.0.0.1:5432/salesdesk_bench_history]

1. the data: bench/history_data.py writes 150,000 customers, ~3,000 products and 6,000,000
   order lines times --scale into --data (default: a directory per scale and seed under the
   system's temp dir, reused when its files are there);
2. a fresh database (a SQLite file in a temporary data dir, WAL mode; or drop and create the
   PostgreSQL database named in the URL), migrated, with 50 of the 60 salespeople as users;
3. `salesdesk import history DIR --restart` in a subprocess: wall time, and peak resident
   memory of that process (`ru_maxrss` from `os.wait4`); rows per second per file from the
   command's own timing; the rollup rebuild's time;
4. the number of facts and their revenue, read back.

Appends a row to bench/results/history_import-<database>.md (`--no-record` skips it).
"""

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import fresh_environment, salesdesk_command
from history_data import LEFT_COMPANY, SALESPEOPLE, generate, salesperson_name

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FULL = {"customers": 150_000, "orders": 1_500_000, "lines": 6_000_000}
FILE_LINE = re.compile(
    r"^(?P<file>\w+)\.csv: (?P<read>[\d,]+) rows read, (?P<new>[\d,]+) new, "
    r"(?P<present>[\d,]+) already present, (?P<errors>[\d,]+) with errors \((?P<s>[\d.]+) s\)"
)
ROLLUPS = re.compile(r"rollups rebuilt in (?P<s>[\d.]+) s")


def data_dir(args) -> Path:
    """The generated files for this scale and seed; generated only if missing."""
    directory = (
        args.data or Path(tempfile.gettempdir()) / f"salesdesk-history-{args.scale}-{args.seed}"
    )
    names = ("customers.csv", "products.csv", "order_lines.csv")
    if not all((directory / name).is_file() for name in names):
        sizes = [max(1, round(n * args.scale)) for n in FULL.values()]
        result = generate(directory, *sizes, args.seed)
        print(f"generated {result['lines']:,} lines in {result['seconds']:.1f} s: {directory}")
    return directory


def seed_users(env: dict) -> None:
    names = [salesperson_name(n) for n in range(SALESPEOPLE - LEFT_COMPANY)]
    script = (
        "from salesdesk.accounts.services import system_user, user_create\n"
        f"for name in {names!r}:\n"
        "    user_create(username=name, roles=['salesperson'], actor=system_user())\n"
    )
    subprocess.run([*salesdesk_command(), "shell", "-c", script], env=env, check=True)


def timed_import(directory: Path, env: dict) -> tuple[float, float, float, int, str]:
    """(seconds, CPU seconds, peak RSS MB, exit code, output) of one import run."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*salesdesk_command(), "import", "history", str(directory), "--restart"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = process.stdout.read() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), output


def read_back(env: dict) -> tuple[int, str]:
    script = (
        "from django.db.models import Sum\n"
        "from salesdesk.analytics.models import SalesFact\n"
        "facts = SalesFact.objects.filter(is_imported=True)\n"
        "print(facts.count(), facts.aggregate(s=Sum('revenue'))['s'])\n"
    )
    result = subprocess.run(
        [*salesdesk_command(), "shell", "-c", script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    count, revenue = result.stdout.strip().splitlines()[-1].split()
    return int(count), revenue


def record(engine: str, scale: float, files: dict, totals: tuple, rollups: float) -> str:
    seconds, cpu, peak_mb, facts = totals
    rate = {k: int(v["read"]) / max(float(v["s"]), 1e-9) for k, v in files.items()}
    lines = files.get("order_lines", {})
    row = (
        f"| {datetime.now():%Y-%m-%d %H:%M} | {scale:g} | {files['customers']['read']} | "
        f"{files['products']['read']} | {lines.get('read', '0')} | {facts:,} | {seconds:.1f} | "
        f"{cpu:.1f} | "
        f"{rate.get('customers', 0):,.0f} | {rate.get('order_lines', 0):,.0f} | {rollups:.1f} | "
        f"{peak_mb:.0f} | {platform.python_version()} {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f} |\n"
    )
    path = RESULTS / f"history_import-{engine.lower()}.md"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"# History import benchmark on {engine} (bench/history_import.py)\n\n"
            "Wall time includes the command's start-up and the rollup rebuild; CPU s is the\n"
            "import process's user + system time (on a shared machine wall time also counts\n"
            "waiting for a core). Rows/s are the command's own per-file wall timings. Load is\n"
            "the 1-minute load average at the end.\n\n"
            "| date | scale | customers | products | order lines | facts | wall s | CPU s |"
            " customers/s | lines/s | rollups s | peak RSS MB | machine |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
            encoding="utf-8",
        )
    with path.open("a", encoding="utf-8") as handle:
        handle.write(row)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="e.g. 0.02 for a quick run")
    parser.add_argument("--data", type=Path, help="directory of the generated files (reused)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", "--database", dest="database_url")
    parser.add_argument("--no-record", action="store_true", help="do not append to the results")
    args = parser.parse_args()
    engine = "PostgreSQL" if args.database_url else "SQLite"
    if args.database_url and not args.database_url.rstrip("/").rsplit("/", 1)[-1]:
        args.database_url = args.database_url.rstrip("/") + "/salesdesk_bench_history"
    directory = data_dir(args)
    with tempfile.TemporaryDirectory(prefix="salesdesk-bench-") as work:
        env = fresh_environment(args.database_url, Path(work) / "data")
        env["SALESDESK_LANGUAGE"] = "en"  # the summary lines are parsed below
        seed_users(env)
        seconds, cpu, peak_mb, code, output = timed_import(directory, env)
        sys.stdout.write(output[-3000:])
        files = {m["file"]: m.groupdict() for m in map(FILE_LINE.match, output.splitlines()) if m}
        files = {k: {**v, "read": v["read"].replace(",", "")} for k, v in files.items()}
        rollups = ROLLUPS.search(output)
        facts, revenue = read_back(env)
    lines = int(files.get("order_lines", {}).get("read", 0))
    print(
        f"{engine}: {lines:,} order lines, {facts:,} facts (revenue {revenue}) in "
        f"{seconds:.1f} s ({cpu:.1f} s CPU); peak RSS {peak_mb:.0f} MB; exit {code}"
    )
    for key, values in files.items():
        seconds_file = float(values["s"])
        rate = f"{int(values['read']) / seconds_file:,.0f}" if seconds_file >= 0.1 else "—"
        print(f"  {key}: {int(values['read']):,} rows in {values['s']} s = {rate} rows/s")
    if code != 0 or not files:
        return 1
    if not args.no_record:
        rollup_seconds = float(rollups["s"]) if rollups else 0.0
        totals = (seconds, cpu, peak_mb, facts)
        print(record(engine, args.scale, files, totals, rollup_seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
