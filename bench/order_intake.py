"""Benchmark: order intake through the HTTP API (issue #4): create + submit + approve.

    python bench/order_intake.py [--orders 400] [--clients 4] [--workers 2]
        [--database-url postgres://postgres@127.0.0.1:5432/salesdesk_bench_orders]
    python bench/order_intake.py --profile [--orders 100]   # where the server's time goes

A fresh database (a SQLite file in a temporary data dir, or the PostgreSQL database named in
the URL, dropped and created) is migrated and seeded: a sales manager, a salesperson and a
sales admin in one team, a warehouse clerk, one customer with a large credit limit, and 20
products with ample stock. `salesdesk serve --workers N` then runs on a free port on
127.0.0.1 (gunicorn plus the job worker, as users run it), and API tokens are made with
`salesdesk createtoken`. N client threads share the orders: each order is `POST /orders`
(5 lines, an Idempotency-Key) and `POST …/submit` by the salesperson, then `POST …/approve`
by the sales admin (four eyes: the submitter may not approve). One connection per request,
as gunicorn's sync workers close it anyway. A few warm-up orders are not measured.

Prints orders per second and p50/p99 latency per call and per order, and appends a row to
bench/results/order_intake.md. `--profile` instead runs the same calls in-process through
Django's test client under cProfile and prints the functions that take the most time.
"""

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from datetime import date, datetime, timedelta
from pathlib import Path

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

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "order_intake.md"
PRODUCTS = 20
LINES = 5
WARMUP = 8
CALLS = ("create", "submit", "approve", "order")
SEED_SCRIPT = """
from decimal import Decimal
from salesdesk.accounts.services import system_user, user_create
from salesdesk.catalog.services import product_create, stock_adjust, warehouse_ensure
from salesdesk.customers.models import Customer
from salesdesk.customers.services import customer_create

system = system_user()
manager = user_create(username="bench_manager", roles=["sales_manager"], actor=system)
sales = user_create(
    username="bench_sales", roles=["salesperson"], manager=manager, email="s@example.com",
    actor=system,
)
user_create(username="bench_admin", roles=["sales_admin"], manager=manager, actor=system)
clerk = user_create(username="bench_clerk", roles=["warehouse"], actor=system)
admin = sales.__class__.objects.get(username="bench_admin")
customer = customer_create(
    actor=sales,
    data={"kind": "enterprise", "legal_name": "廈門鷺島機械有限公司", "short_name": "鷺島機械",
          "country": "CN", "province": "福建省", "city": "廈門市", "source": "trade_show"},
    contacts=[], acknowledge_warnings=True,
).customer
Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("1e12"), grade="A")
main = warehouse_ensure(code="main", name="Main")
for n in range(1, %(products)d + 1):
    product = product_create(actor=admin, data={
        "sku": f"P-{n:03d}", "name": f"Bench item {n}", "unit": "pc", "list_price": str(10 + n),
    })
    stock_adjust(actor=clerk, product_id=product.pk, warehouse_id=main.pk,
                 quantity="100000000", reason="bench")
print("CUSTOMER", customer.pk)
"""


def seed(env: dict) -> int:
    script = SEED_SCRIPT % {"products": PRODUCTS}
    result = subprocess.run(
        [*salesdesk_command(), "shell", "-c", script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(result.stdout.split("CUSTOMER")[-1].split()[0])


def order_body(customer_id: int, rng: random.Random) -> dict:
    skus = rng.sample([f"P-{n:03d}" for n in range(1, PRODUCTS + 1)], LINES)
    return {
        "customer": customer_id,
        "channel": "electronic",
        "payment_terms": "net_30",
        "requested_delivery_date": (date.today() + timedelta(days=21)).isoformat(),
        "customer_reference": f"PO-{rng.randrange(10**6):06d}",
        "lines": [{"product": sku, "quantity": str(rng.randrange(1, 20))} for sku in skus],
    }


def one_order(sales: Client, admin: Client, customer_id: int, rng: random.Random) -> dict:
    """Create, submit, approve; returns the seconds per call, or raises on a wrong answer."""
    timings = {}
    started = time.perf_counter()
    key = {"Idempotency-Key": uuid.uuid4().hex}
    status, order = sales.call("POST", "/orders", order_body(customer_id, rng), **key)
    timings["create"] = time.perf_counter() - started
    if status != 201:
        raise RuntimeError(f"create answered {status}: {order}")
    mark = time.perf_counter()
    status, body = sales.call("POST", f"/orders/{order['id']}/submit")
    timings["submit"] = time.perf_counter() - mark
    if status != 200 or body["status"] != "under_review":
        raise RuntimeError(f"submit answered {status}: {body}")
    mark = time.perf_counter()
    status, body = admin.call("POST", f"/orders/{order['id']}/approve")
    timings["approve"] = time.perf_counter() - mark
    if status != 200 or body["status"] != "approved":
        raise RuntimeError(f"approve answered {status}: {body}")
    timings["order"] = time.perf_counter() - started
    return timings


def run_clients(
    sales: Client, admin: Client, customer_id: int, orders: int, clients: int
) -> tuple[float, dict[str, list[float]], list[str]]:
    """(wall seconds, timings per call type, errors) for `orders` orders over `clients`."""
    lock = threading.Lock()
    remaining = [orders]
    timings: dict[str, list[float]] = {name: [] for name in CALLS}
    errors: list[str] = []

    def work(seed: int) -> None:
        rng = random.Random(seed)
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            try:
                result = one_order(sales, admin, customer_id, rng)
            except Exception as exc:  # reported below; the run goes on
                with lock:
                    errors.append(str(exc)[:300])
                continue
            with lock:
                for name, seconds in result.items():
                    timings[name].append(seconds)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, timings, errors


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def record(engine: str, args, seconds: float, timings: dict, errors: int, load: float) -> str:
    done = len(timings["order"])
    cells = " | ".join(
        f"{percentile(timings[n], 0.5) * 1000:.0f} / {percentile(timings[n], 0.99) * 1000:.0f}"
        for n in CALLS
    )
    line = (
        f"| {datetime.now():%Y-%m-%d %H:%M} | {engine} | {done} | {args.clients} | "
        f"{args.workers} | {done / seconds:.1f} | {cells} | {errors} | "
        f"{platform.python_version()}, {os.cpu_count()} cores, load {load:.1f} |\n"
    )
    if not RESULTS.exists():
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(
            "# Order intake benchmark (bench/order_intake.py)\n\n"
            "Create (5 lines) + submit + approve over HTTP; latency p50 / p99 in ms.\n"
            "`load` is the 1-minute load average when the run started: the machine is\n"
            "shared, so compare runs at similar load.\n\n"
            "| date | database | orders | clients | web workers | orders/s | create | submit "
            "| approve | whole order | errors | machine |\n"
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
            encoding="utf-8",
        )
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(line)
    return line


def benchmark(args, env: dict, work: Path) -> int:
    engine = "PostgreSQL" if args.database_url else "SQLite"
    customer_id = seed(env)
    sales_token, admin_token = token(env, "bench_sales"), token(env, "bench_admin")
    load = os.getloadavg()[0]
    port = free_port()
    server = serve(env, port, args.workers, work / "serve.log")
    try:
        wait_until_up(port, server)
        sales, admin = Client(port, sales_token), Client(port, admin_token)
        run_clients(sales, admin, customer_id, WARMUP, args.clients)
        seconds, timings, errors = run_clients(sales, admin, customer_id, args.orders, args.clients)
        status, page = admin.call("GET", "/orders?status=approved&limit=1")
    finally:
        stop(server)
    done = len(timings["order"])
    print(f"{engine}: {done} orders in {seconds:.1f} s = {done / seconds:.1f} orders/s")
    for name in CALLS:
        p50, p99 = percentile(timings[name], 0.5), percentile(timings[name], 0.99)
        print(f"  {name:8s} p50 {p50 * 1000:6.0f} ms   p99 {p99 * 1000:6.0f} ms")
    print(f"  approved orders in the database: {page['count']} (incl. {WARMUP} warm-up)")
    for error in errors[:5]:
        print("  error:", error)
    if errors:
        log = (work / "serve.log").read_text(errors="replace").splitlines()
        causes = [line for line in log if "Error" in line or "Exception" in line]
        print("  server log:", *causes[-10:], sep="\n    ")
    if args.server_log:
        Path(args.server_log).write_bytes((work / "serve.log").read_bytes())
    if not args.no_record:
        print(record(engine, args, seconds, timings, len(errors), load), end="")
    return 1 if errors or status != 200 or page["count"] != done + WARMUP else 0


def in_process_clients(env: dict) -> tuple:
    """Django test clients with the bench users' bearer tokens, in this process."""
    tokens = {name: token(env, f"bench_{name}") for name in ("sales", "admin")}
    os.environ.update({k: env[k] for k in ("SALESDESK_DATA_DIR", "SALESDESK_LOG_LEVEL")})
    if "DATABASE_URL" in env:
        os.environ["DATABASE_URL"] = env["DATABASE_URL"]
    os.environ["DJANGO_SETTINGS_MODULE"] = "salesdesk.config.settings"
    warnings.filterwarnings("ignore", message="No directory at")  # static files: not needed
    import django

    django.setup()
    from django.test import Client as DjangoClient

    return tuple(
        DjangoClient(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {tokens[name]}")
        for name in ("sales", "admin")
    )


def profile(args, env: dict) -> int:
    """The same calls in-process: server time and queries per call, then cProfile."""
    import cProfile
    import pstats

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    customer_id = seed(env)
    sales, admin = in_process_clients(env)
    rng = random.Random(1)
    spent = {name: [0.0, 0] for name in CALLS[:3]}

    def call(name: str, client, path: str, body: dict | None = None):
        reset_queries()  # the query log keeps only the last 9000
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.post(path, body or {}, content_type="application/json")
        spent[name][0] += time.perf_counter() - started
        spent[name][1] += len(queries)
        return response.json()

    def orders(count: int) -> None:
        for _n in range(count):
            order = call("create", sales, "/api/v1/orders", order_body(customer_id, rng))
            call("submit", sales, f"/api/v1/orders/{order['id']}/submit")
            call("approve", admin, f"/api/v1/orders/{order['id']}/approve")

    orders(WARMUP)
    spent = {name: [0.0, 0] for name in CALLS[:3]}
    orders(args.orders)
    print(f"{args.orders} orders in-process, one thread, no profiler:")
    for name, (seconds, queries) in spent.items():
        each = seconds / args.orders * 1000
        print(f"  {name:8s} {each:5.1f} ms, {queries / args.orders:5.1f} queries per call")
    profiler = cProfile.Profile()
    profiler.runcall(orders, args.orders)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(r"salesdesk|django/db|ninja|pydantic", 45)
    stats.sort_stats("tottime").print_stats(25)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn web workers")
    parser.add_argument(
        "--database-url", help="postgres://…/salesdesk_bench_orders (default SQLite)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile in-process instead")
    parser.add_argument("--server-log", help="copy the server's log (tracebacks) to this file")
    parser.add_argument("--no-record", action="store_true", help="do not append to the results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="salesdesk-bench-orders-") as work:
        env = fresh_environment(args.database_url, Path(work) / "data")
        if args.profile:
            return profile(args, env)
        return benchmark(args, env, Path(work))


if __name__ == "__main__":
    sys.exit(main())
