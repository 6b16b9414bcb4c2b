"""Benchmark: import N customers from CSV with `salesdesk import customers` (issue #3).

    python bench/customer_import.py --rows 100000 [--compare-rows 20000]
        [--database-url postgres://postgres@127.0.0.1:5432/salesdesk_bench]

For each size: generate a realistic CSV (Traditional and Simplified Chinese companies from
Faker zh_TW/zh_CN, valid 統一編號/USCC, a contact with phone and e-mail), create a fresh
database (a SQLite file in a temporary data dir, or drop and create the PostgreSQL database
named in the URL), migrate, add the owners, then time `salesdesk import customers FILE` in a
subprocess and read its peak RSS. Prints rows/second and peak MB and appends a row per run to
bench/results/customer_import.md. The smaller size shows whether memory grows with the file.
"""

import argparse
import csv
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "customer_import.md"
OWNERS = [f"bench_sales{n:02d}" for n in range(1, 21)]
POOL = 4000
COLUMNS = [
    "kind",
    "legal_name",
    "short_name",
    "tax_id",
    "country",
    "province",
    "city",
    "district",
    "street",
    "industry",
    "potential",
    "annual_capacity",
    "intention_level",
    "source",
    "source_note",
    "owner",
    "contact_name",
    "contact_title",
    "contact_mobile",
    "contact_email",
    "contact_is_decision_maker",
]


def salesdesk_command() -> list[str]:
    return [sys.executable, "-m", "salesdesk"]


def setup_django(data_dir: Path) -> None:
    """Enough Django for the demo generators (no database is touched)."""
    os.environ["SALESDESK_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesdesk.config.settings")
    import django

    django.setup()


def _pools(seed: int) -> dict:
    from faker import Faker

    from salesdesk.customers.validators import parse_phone

    pools: dict = {}
    for region, locale in (("TW", "zh_TW"), ("CN", "zh_CN")):
        fake = Faker(locale)
        fake.seed_instance(seed)
        phones: list[str] = []
        while len(phones) < POOL:
            number = (
                "09" + str(fake.random_number(digits=8, fix_len=True))
                if region == "TW"
                else fake.phone_number()
            )
            if parse_phone(number):
                phones.append(number)
        places = [
            (
                fake.province() if region == "CN" else "",
                fake.city_name() if region == "CN" else fake.city(),
            )
            for _ in range(POOL // 10)
        ]
        pools[region] = {
            "company": [fake.company() for _ in range(POOL)],
            "name": [fake.name() for _ in range(POOL)],
            "street": [fake.street_address() for _ in range(POOL)],
            "district": [fake.district() if region == "CN" else "" for _ in range(POOL // 10)],
            "place": places,
            "phone": phones,
            "email": [fake.email() for _ in range(POOL)],
        }
    return pools


def generate_csv(path: Path, rows: int, seed: int) -> None:
    """A realistic customer file: half Taiwan, half mainland, a tenth of them individuals."""
    from salesdesk.customers.demo import INDUSTRIES, INDUSTRIES_CN, SOURCES, make_tw_ubn, make_uscc

    rng = random.Random(seed)
    pools = _pools(seed)
    used: set[str] = set()
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for index in range(rows):
            region = "TW" if index % 2 else "CN"
            pool = pools[region]
            individual = index % 10 == 0
            tax_id = ""
            while not individual and (not tax_id or tax_id in used):
                tax_id = make_tw_ubn(rng) if region == "TW" else make_uscc(rng)
            used.add(tax_id)
            company = rng.choice(pool["company"])
            person = rng.choice(pool["name"])
            province, city = rng.choice(pool["place"])
            writer.writerow(
                [
                    "individual" if individual else "enterprise",
                    person if individual else f"{city}{company}",
                    person if individual else company[:4],
                    tax_id,
                    region,
                    province,
                    city,
                    rng.choice(pool["district"]),
                    rng.choice(pool["street"]),
                    rng.choice(INDUSTRIES if region == "TW" else INDUSTRIES_CN),
                    rng.choice(["high", "medium", "low", "unknown"]),
                    str(rng.randrange(10, 5000) * 10000),
                    rng.choice(["strong", "medium", "weak", "none"]),
                    rng.choice(SOURCES),
                    "",
                    OWNERS[index % len(OWNERS)],
                    person,
                    "採購經理" if region == "TW" else "采购经理",
                    rng.choice(pool["phone"]),
                    rng.choice(pool["email"]),
                    "yes" if index % 3 == 0 else "no",
                ]
            )


def fresh_database(database_url: str | None, data_dir: Path) -> dict:
    env = {**os.environ, "SALESDESK_DATA_DIR": str(data_dir), "PYTHONUTF8": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if database_url:
        import psycopg

        parts = urlsplit(database_url)
        name = parts.path.lstrip("/") or "salesdesk_bench"
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        env.pop("DATABASE_URL", None)
    subprocess.run([*salesdesk_command(), "migrate", "--no-input", "-v", "0"], env=env, check=True)
    script = (
        "from salesdesk.accounts.services import system_user, user_create\n"
        f"for name in {OWNERS!r}:\n"
        "    user_create(username=name, roles=['salesperson'], actor=system_user())\n"
    )
    subprocess.run([*salesdesk_command(), "shell", "-c", script], env=env, check=True)
    return env


def timed_import(path: Path, env: dict) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of one `salesdesk import customers` run."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*salesdesk_command(), "import", "customers", str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = process.stdout.read() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    sys.stdout.write(output[-2000:])
    return seconds, usage.ru_maxrss / 1024, process.returncode


def count_customers(env: dict) -> int:
    script = "from salesdesk.customers.models import Customer; print(Customer.objects.count())"
    result = subprocess.run(
        [*salesdesk_command(), "shell", "-c", script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


def record(engine: str, rows: int, seconds: float, peak_mb: float, imported: int) -> str:
    line = (
        f"| {datetime.now():%Y-%m-%d %H:%M} | {engine} | {rows:,} | {imported:,} | "
        f"{seconds:.1f} | {rows / seconds:,.0f} | {peak_mb:.0f} | "
        f"{platform.python_version()} {os.cpu_count()} cores |\n"
    )
    if not RESULTS.exists():
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(
            "# Customer import benchmark (bench/customer_import.py)\n\n"
            "| date | database | rows | imported | seconds | rows/s | peak RSS MB | machine |\n"
            "|---|---|---:|---:|---:|---:|---:|---|\n",
            encoding="utf-8",
        )
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(line)
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--compare-rows", type=int, default=20_000, help="0 to skip")
    parser.add_argument("--database-url", help="postgres://…/salesdesk_bench (default SQLite)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-record", action="store_true", help="do not append to the results")
    args = parser.parse_args()
    engine = "PostgreSQL" if args.database_url else "SQLite"
    failures = 0
    with tempfile.TemporaryDirectory(prefix="salesdesk-bench-") as work:
        setup_django(Path(work) / "generator")
        for rows in [n for n in (args.compare_rows, args.rows) if n]:
            path = Path(work) / f"customers-{rows}.csv"
            started = time.perf_counter()
            generate_csv(path, rows, args.seed)
            print(f"generated {rows:,} rows in {time.perf_counter() - started:.1f} s: {path}")
            env = fresh_database(args.database_url, Path(work) / f"data-{rows}")
            seconds, peak_mb, code = timed_import(path, env)
            imported = count_customers(env)
            failures += code != 0 or imported != rows
            print(
                f"{engine}: {rows:,} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s, "
                f"peak RSS {peak_mb:.0f} MB, exit {code}, {imported:,} customers in the database"
            )
            if not args.no_record:
                record(engine, rows, seconds, peak_mb, imported)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
