"""Demo catalogue: industrial parts with stock in two warehouses and a price list for grade A
customers (issue #4)."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from salesdesk.accounts.models import User
from salesdesk.catalog.models import PriceList, Product
from salesdesk.catalog.pricing import price_item_set, price_list_create
from salesdesk.catalog.services import product_create, stock_adjust, warehouse_ensure
from salesdesk.core import demo

PRODUCTS = [
    # sku, name, spec, unit, category, list price, cost, supply, stock main, stock south
    ("B-6204", "深溝球軸承", "6204-2RS", "個", "軸承", "18.50", "11.20", "buy", 800, 200),
    ("B-6305", "深溝球軸承", "6305-ZZ", "個", "軸承", "32.00", "19.50", "buy", 300, 0),
    ("M-750", "伺服馬達", "750W 220V", "台", "馬達", "1580.00", "1050.00", "make", 12, 3),
    ("M-1500", "伺服馬達", "1.5kW 380V", "台", "馬達", "2680.00", "1820.00", "make", 4, 0),
    ("D-750", "伺服驅動器", "750W", "台", "驅動器", "1280.00", "830.00", "make", 10, 5),
    ("G-60", "行星減速機", "1:10 60mm", "台", "減速機", "960.00", "610.00", "buy", 25, 10),
    ("C-5M", "編碼器電纜", "5m 屏蔽", "條", "線材", "86.00", "41.00", "buy", 500, 100),
    ("S-24", "開關電源", "24V 10A", "個", "電源", "210.00", "128.00", "buy", 60, 20),
    ("PLC-32", "可程式控制器", "32 點 I/O", "台", "控制器", "3600.00", "2350.00", "make", 6, 0),
    ("HMI-7", "觸控人機介面", "7 吋", "台", "控制器", "2200.00", "1400.00", "buy", 8, 2),
]
GRADE_A_LIST = "A 級客戶價"
GRADE_A_SKUS = ("B-6204", "B-6305", "M-750", "D-750", "PLC-32")
CENT = Decimal("0.01")


@demo.register("catalog.products", order=40)
def load_products(actor, stdout) -> None:
    admin = User.objects.filter(username="salesadmin").first()
    keeper = User.objects.filter(username="warehouse").first()
    if admin is None or keeper is None:
        return
    main = warehouse_ensure(code="main", name="台中主倉")
    south = warehouse_ensure(code="south", name="高雄分倉")
    for sku, name, spec, unit, category, price, cost, supply, qty_main, qty_south in PRODUCTS:
        if Product.objects.filter(sku=sku).exists():
            continue
        product = product_create(
            actor=admin,
            data={
                "sku": sku,
                "name": name,
                "spec": spec,
                "unit": unit,
                "category": category,
                "list_price": price,
                "standard_cost": cost,
                "supply": supply,
            },
        )
        for warehouse, qty in ((main, qty_main), (south, qty_south)):
            if qty:
                stock_adjust(
                    actor=keeper,
                    product_id=product.pk,
                    warehouse_id=warehouse.pk,
                    quantity=qty,
                    reason="期初庫存",
                    kind="receipt",
                )
    stdout.write(f"  {len(PRODUCTS)} demo products with stock\n")


@demo.register("catalog.price_lists", order=41)
def load_price_lists(actor, stdout) -> None:
    """Grade A customers pay 5 % below list price for a few products, at least 10 % below."""
    admin = User.objects.filter(username="salesadmin").first()
    products = list(Product.objects.filter(sku__in=GRADE_A_SKUS).order_by("sku"))
    if admin is None or not products or PriceList.objects.filter(name=GRADE_A_LIST).exists():
        return
    with transaction.atomic():
        price_list = price_list_create(
            actor=admin,
            data={
                "name": GRADE_A_LIST,
                "customer_grade": "A",
                "valid_from": date(timezone.localdate().year, 1, 1),
            },
        )
        for product in products:
            price_item_set(
                actor=admin,
                price_list_id=price_list.pk,
                product_id=product.pk,
                unit_price=(product.list_price * Decimal("0.95")).quantize(CENT),
                min_price=(product.list_price * Decimal("0.90")).quantize(CENT),
            )
    stdout.write(f"  price list {GRADE_A_LIST} with {len(products)} products\n")
