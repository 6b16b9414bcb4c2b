"""Generate a realistic sales history for `salesdesk import history DIR` (issue #7, A1.1).

    python bench/history_data.py OUT_DIR [--customers 150000] [--orders 1500000]
        [--lines 6000000] [--scale 0.01] [--seed 2026]

Writes OUT_DIR/customers.csv, products.csv and order_lines.csv (UTF-8 with BOM), streaming:
memory holds the customers and products (a few small lists each), never the orders. The
same seed gives the same files byte for byte.

What makes it realistic: companies from Faker zh_CN/zh_TW with their cities; mainland
customers in 7 sales regions (华东, 华南, 华北, 华中, 西南, 西北, 东北) with provinces and
cities, Taiwan customers in 北部/中部/南部/東部; 20 industries; 60 salespeople, each with a
territory (country and region), 10 of whom have left (no user in salesdesk); 3,000 SKUs in 15
categories with Zipf-like popularity; three years of order dates (2023-01-01..2025-12-31)
growing about 15 % a year, with the Chinese New Year dip, a busy fourth quarter and quiet
weekends; customers that join during the period and some that stop ordering; ordering
frequency per customer Pareto-distributed; 1–8 lines per order (4 on average); discounts
0–15 %; prices rising 3 % a year; about 90 % of deliveries on time; mostly delivered or
closed orders, a few cancelled or rejected, the last weeks still open. Data-quality gaps on
purpose: 10 % of lines without unit_cost, 5 % of products without one, 3 % of customers
without region.
"""

import argparse
import bisect
import csv
import itertools
import math
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

FIRST_DAY, LAST_DAY = date(2023, 1, 1), date(2025, 12, 31)
CN_REGIONS = {
    "华东": {
        "上海市": ["上海市"],
        "江苏省": ["南京市", "苏州市", "无锡市", "常州市"],
        "浙江省": ["杭州市", "宁波市", "温州市", "嘉兴市"],
        "山东省": ["济南市", "青岛市", "烟台市"],
        "福建省": ["福州市", "厦门市", "泉州市"],
        "安徽省": ["合肥市", "芜湖市"],
    },
    "华南": {"广东省": ["广州市", "深圳市", "东莞市", "佛山市"], "广西壮族自治区": ["南宁市"]},
    "华北": {
        "北京市": ["北京市"],
        "天津市": ["天津市"],
        "河北省": ["石家庄市", "唐山市"],
        "山西省": ["太原市"],
    },
    "华中": {"湖北省": ["武汉市", "宜昌市"], "湖南省": ["长沙市"], "河南省": ["郑州市", "洛阳市"]},
    "西南": {"四川省": ["成都市", "绵阳市"], "重庆市": ["重庆市"], "云南省": ["昆明市"]},
    "西北": {"陕西省": ["西安市"], "甘肃省": ["兰州市"], "新疆维吾尔自治区": ["乌鲁木齐市"]},
    "东北": {"辽宁省": ["沈阳市", "大连市"], "吉林省": ["长春市"], "黑龙江省": ["哈尔滨市"]},
}
TW_REGIONS = {
    "北部": ["臺北市", "新北市", "桃園市", "新竹市", "新竹縣", "基隆市", "宜蘭縣"],
    "中部": ["臺中市", "彰化縣", "苗栗縣", "南投縣", "雲林縣"],
    "南部": ["高雄市", "臺南市", "嘉義市", "屏東縣"],
    "東部": ["花蓮縣", "臺東縣"],
}
# Weight of each region in the customer base.
REGION_WEIGHTS = {"华东": 30, "华南": 18, "华北": 12, "华中": 8, "西南": 7, "西北": 3, "东北": 4}
REGION_WEIGHTS.update({"北部": 9, "中部": 5, "南部": 3.5, "東部": 0.5})
INDUSTRIES = [
    "机械制造", "电子元件", "汽车零部件", "化工", "医疗器械", "食品饮料", "纺织服装", "建材",
    "家电", "新能源", "半导体", "物流", "零售", "通信设备", "印刷包装", "五金工具",
    "钢铁", "塑料制品", "光电", "仪器仪表",
]  # fmt: skip
CATEGORIES = [
    ("伺服马达", "台", 3200), ("变频器", "台", 2600), ("PLC控制器", "台", 5400),
    ("传感器", "个", 380), ("工业相机", "台", 7800), ("气动元件", "个", 160),
    ("减速机", "台", 4100), ("线缆", "米", 18), ("连接器", "个", 12),
    ("电源模块", "个", 450), ("人机界面", "台", 3600), ("轴承", "个", 95),
    ("工具耗材", "盒", 60), ("安全光栅", "套", 2200), ("备件服务", "次", 800),
]  # fmt: skip
CHANNELS = [("direct", 55), ("distributor", 30), ("online", 10), ("tender", 5)]
SHIP_MODES = [("truck", 55), ("express", 25), ("rail", 8), ("sea", 5), ("air", 2), ("pickup", 5)]
SALESPEOPLE = 60
LEFT_COMPANY = 10  # the last salespeople have no user: their customers get no owner
# Chinese New Year dip, busy Q4 (month → factor).
SEASON = [0.75, 0.7, 1.0, 1.0, 1.02, 1.05, 0.95, 0.95, 1.05, 1.1, 1.2, 1.25]
LINE_COUNT_WEIGHTS = [10, 14, 18, 18, 15, 11, 8, 6]  # 1..8 lines, mean ≈ 4.1
HEADERS = {
    "customers": [
        "customer_code", "name", "kind", "industry", "country", "region", "province", "city",
        "salesperson", "created_date",
    ],
    "products": ["sku", "name", "category", "unit", "list_price", "unit_cost", "tax_rate"],
    "order_lines": [
        "order_number", "order_date", "customer_code", "salesperson", "channel", "line_number",
        "sku", "quantity", "unit_price", "discount_rate", "tax_rate", "unit_cost",
        "promised_date", "ship_date", "delivery_date", "ship_mode", "status",
    ],
}  # fmt: skip


def _cumulative(weights):
    return list(itertools.accumulate(weights))


def _pick(rng: random.Random, items: list, cumulative: list[float]):
    return items[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]


def name_pools(seed: int, size: int) -> dict[str, list[str]]:
    from faker import Faker

    pools = {}
    for country, locale in (("CN", "zh_CN"), ("TW", "zh_TW")):
        fake = Faker(locale)
        fake.seed_instance(seed)
        pools[country] = [fake.company() for _ in range(size)]
    return pools


def territories() -> list[tuple[str, str]]:
    """The (country, region) of each salesperson, in proportion to the regions' weight."""
    regions = list(REGION_WEIGHTS)
    total = sum(REGION_WEIGHTS.values())
    seats = {r: max(1, round(SALESPEOPLE * w / total)) for r, w in REGION_WEIGHTS.items()}
    while sum(seats.values()) > SALESPEOPLE:
        biggest = max(seats, key=seats.get)
        seats[biggest] -= 1
    while sum(seats.values()) < SALESPEOPLE:
        seats["华东"] += 1
    return [("TW" if r in TW_REGIONS else "CN", r) for r in regions for _ in range(seats[r])]


def salesperson_name(index: int) -> str:
    return f"sales{index + 1:02d}"


def write_customers(path: Path, count: int, rng: random.Random, pools: dict) -> tuple:
    """Writes the customers; returns what orders need per customer (lists, not rows)."""
    seats = territories()
    by_region: dict[str, list[int]] = {}
    for index, (_country, region) in enumerate(seats):
        by_region.setdefault(region, []).append(index)
    regions = list(REGION_WEIGHTS)
    region_cum = _cumulative(REGION_WEIGHTS.values())
    industry_cum = _cumulative(1 / (rank + 1) ** 0.5 for rank in range(len(INDUSTRIES)))
    span = (LAST_DAY - FIRST_DAY).days
    codes, weights, starts, ends, owners, tax = [], [], [], [], [], []
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS["customers"])
        for n in range(count):
            region = _pick(rng, regions, region_cum)
            country = "TW" if region in TW_REGIONS else "CN"
            if country == "TW":
                province, city = "", rng.choice(TW_REGIONS[region])
            else:
                province = rng.choice(list(CN_REGIONS[region]))
                city = rng.choice(CN_REGIONS[region][province])
            owner = rng.choice(by_region[region])
            company = rng.choice(pools[country])
            name = company if rng.random() < 0.5 else f"{city.rstrip('市縣')}{company}"
            # 60 % were customers before 2023; the others join during the three years.
            start = -rng.randrange(1, 3650) if rng.random() < 0.6 else rng.randrange(span)
            created = FIRST_DAY + timedelta(days=start - rng.randrange(0, 60))
            code = f"C{n + 1:07d}"
            writer.writerow(
                [
                    code,
                    name,
                    "individual" if rng.random() < 0.02 else "enterprise",
                    _pick(rng, INDUSTRIES, industry_cum),
                    country,
                    "" if rng.random() < 0.03 else region,
                    province,
                    city,
                    salesperson_name(owner),
                    created.isoformat(),
                ]
            )
            codes.append(code)
            weights.append(rng.paretovariate(1.2))
            starts.append(max(start, 0))
            ends.append(rng.randrange(span) if rng.random() < 0.15 else span + 1)
            owners.append(owner)
            tax.append("0.05" if country == "TW" else "0.13")
    return {"codes": codes, "weights": weights, "starts": starts, "ends": ends}, owners, tax


def write_products(path: Path, count: int, rng: random.Random) -> list[tuple]:
    """Writes the products; returns (sku, list price, unit cost or None) per product."""
    products = []
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS["products"])
        for n in range(count):
            category, unit, base = CATEGORIES[n % len(CATEGORIES)]
            price = round(base * math.exp(rng.gauss(0, 0.6)), 2)
            cost = round(price * rng.uniform(0.45, 0.8), 2) if rng.random() > 0.05 else None
            sku = f"SKU-{n + 1:05d}"
            model = f"{chr(65 + n % 26)}{n % 97:02d}-{n // 97 % 1000:03d}"
            writer.writerow(
                [sku, f"{category} {model}", category, unit, f"{price:.2f}",
                 "" if cost is None else f"{cost:.2f}", "0.13"]
            )  # fmt: skip
            products.append((sku, price, cost))
    return products


def daily_orders(total: int) -> list[int]:
    """Orders per day: growth, season, quieter weekends; sums to `total` exactly."""
    days = (LAST_DAY - FIRST_DAY).days + 1
    weights = []
    for offset in range(days):
        day = FIRST_DAY + timedelta(days=offset)
        growth = 1.15 ** (offset / 365)
        weekday = 0.35 if day.weekday() >= 5 else 1.0
        weights.append(growth * SEASON[day.month - 1] * weekday)
    scale = total / sum(weights)
    counts, carry = [], 0.0
    for weight in weights:
        exact = weight * scale + carry
        counts.append(int(exact))
        carry = exact - int(exact)
    counts[-1] += total - sum(counts)
    return counts


def _status(rng: random.Random, age: int) -> str:
    if age < 7:
        return rng.choice(["approved", "in_fulfillment", "in_fulfillment", "shipped"])
    if age < 30:
        return rng.choice(["shipped", "delivered", "delivered", "delivered", "in_fulfillment"])
    roll = rng.random()
    if roll < 0.03:
        return "cancelled"
    if roll < 0.04:
        return "rejected"
    return "delivered" if roll < 0.55 else "closed"


def write_lines(path: Path, args, rng: random.Random, customers, owners, tax, products) -> int:
    per_day = daily_orders(args.orders)
    order_cum = sorted(range(len(customers["codes"])), key=lambda i: customers["starts"][i])
    starts_sorted = [customers["starts"][i] for i in order_cum]
    weight_cum = _cumulative(customers["weights"][i] for i in order_cum)
    product_cum = _cumulative(1 / (rank + 1) ** 0.8 for rank in range(len(products)))
    channels, channel_cum = [c for c, _w in CHANNELS], _cumulative(w for _c, w in CHANNELS)
    modes, mode_cum = [m for m, _w in SHIP_MODES], _cumulative(w for _m, w in SHIP_MODES)
    mean_lines = args.lines / args.orders
    counts = list(range(1, 9))
    shift = mean_lines - 4.09
    count_cum = _cumulative(max(w * (1 + shift * (k - 4.5) / 4), 0.5) for k, w in
                            zip(counts, LINE_COUNT_WEIGHTS, strict=True))  # fmt: skip
    span = (LAST_DAY - FIRST_DAY).days
    written = 0
    # "utf-8-sig" would run its encoder per write; the BOM is written once instead.
    with path.open("w", encoding="utf-8", newline="", buffering=1 << 20) as handle:
        handle.write("\ufeff")
        writer = csv.writer(handle)
        writer.writerow(HEADERS["order_lines"])
        for offset, orders_today in enumerate(per_day):
            day = FIRST_DAY + timedelta(days=offset)
            day_text = day.isoformat()
            active = bisect.bisect_right(starts_sorted, offset) or 1
            inflation = 1.03 ** (offset / 365)
            for seq in range(orders_today):
                for _try in range(5):
                    slot = bisect.bisect_right(weight_cum, rng.random() * weight_cum[active - 1])
                    index = order_cum[min(slot, active - 1)]
                    if customers["ends"][index] > offset:
                        break
                owner = owners[index]
                seller = owner if rng.random() > 0.05 else rng.randrange(SALESPEOPLE)
                status = _status(rng, span - offset)
                promised = day + timedelta(days=rng.randrange(3, 22))
                shipped = delivered = None
                if status in ("shipped", "delivered", "closed"):
                    late = rng.random() < 0.1
                    delivered = promised + timedelta(days=rng.randrange(1, 11) if late else 0)
                    delivered -= timedelta(days=0 if late else rng.randrange(0, 3))
                    shipped = max(day, delivered - timedelta(days=rng.randrange(1, 4)))
                    if status == "shipped":
                        delivered = None
                common = (
                    f"SO-{day:%Y%m%d}-{seq + 1:05d}",
                    day_text,
                    customers["codes"][index],
                    salesperson_name(seller),
                    _pick(rng, channels, channel_cum),
                )
                tail = (
                    promised.isoformat(),
                    shipped.isoformat() if shipped else "",
                    delivered.isoformat() if delivered else "",
                    _pick(rng, modes, mode_cum),
                    status,
                )
                chosen = set()
                for line_no in range(1, _pick(rng, counts, count_cum) + 1):
                    product = _pick(rng, products, product_cum)
                    if product[0] in chosen:
                        product = products[rng.randrange(len(products))]
                    chosen.add(product[0])
                    sku, price, cost = product
                    quantity = max(1, int(math.exp(1.6 + 0.9 * rng.gauss(0, 1))))
                    unit_price = price * inflation * (1 + rng.uniform(-0.03, 0.03))
                    discount = 0 if rng.random() < 0.45 else rng.randrange(1, 16) / 100
                    line_cost = "" if cost is None or rng.random() < 0.1 else f"{cost:.2f}"
                    writer.writerow(
                        [*common, line_no, sku, quantity, f"{unit_price:.2f}", f"{discount:.2f}",
                         tax[index], line_cost, *tail]
                    )  # fmt: skip
                    written += 1
    return written


def generate(out: Path, customers: int, orders: int, lines: int, seed: int) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    args = argparse.Namespace(orders=orders, lines=lines)
    started = time.perf_counter()
    pools = name_pools(seed, min(4000, max(200, customers // 10)))
    customer_data, owners, tax = write_customers(out / "customers.csv", customers, rng, pools)
    products = write_products(out / "products.csv", max(50, round(3000 * customers / 150_000)), rng)
    written = write_lines(out / "order_lines.csv", args, rng, customer_data, owners, tax, products)
    return {
        "customers": customers,
        "products": len(products),
        "orders": orders,
        "lines": written,
        "seconds": time.perf_counter() - started,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory for the three CSV files")
    parser.add_argument("--customers", type=int, default=150_000)
    parser.add_argument("--orders", type=int, default=1_500_000)
    parser.add_argument("--lines", type=int, default=6_000_000)
    parser.add_argument("--scale", type=float, default=1.0, help="e.g. 0.01 for a quick run")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    sizes = [max(1, round(n * args.scale)) for n in (args.customers, args.orders, args.lines)]
    result = generate(args.out, *sizes, args.seed)
    print(
        f"{result['customers']:,} customers, {result['products']:,} products, "
        f"{result['orders']:,} orders, {result['lines']:,} lines in {result['seconds']:.1f} s "
        f"→ {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
