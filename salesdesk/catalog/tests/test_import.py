"""Products and stock from CSV/XLSX (issue #4), all-or-nothing like every import."""

from decimal import Decimal

import pytest
from openpyxl import Workbook

from salesdesk.audit.models import Event
from salesdesk.catalog.importing import ProductImporter, StockImporter
from salesdesk.catalog.models import Product, Stock, StockMovement
from salesdesk.catalog.services import product_create, warehouse_ensure
from salesdesk.imports.base import run_import

HEAD = "sku,name,spec,unit,category,list_price,standard_cost,tax_rate,supply\n"


def _csv(tmp_path, text, name="products.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_products_import_and_dry_run(tmp_path, sales_admin):
    path = _csv(
        tmp_path,
        HEAD + "b-1,軸承,6204,個,軸承,18.5,11,0.13,buy\nM-2,馬達,750W,台,馬達,1580,1050,,make\n",
    )
    dry = run_import(ProductImporter, path, actor=sales_admin, dry_run=True)
    assert (dry.valid, dry.imported, Product.objects.count()) == (2, 0, 0)
    report = run_import(ProductImporter, path, actor=sales_admin)
    assert report.imported == 2
    assert Product.objects.get(sku="B-1").list_price == Decimal("18.5")
    assert Product.objects.get(sku="M-2").tax_rate == Decimal("0.13")
    assert Event.objects.filter(verb="product.created").count() == 2


def test_bad_product_row_imports_nothing(tmp_path, sales_admin):
    product_create(
        actor=sales_admin, data={"sku": "OLD", "name": "x", "unit": "個", "list_price": "1"}
    )
    path = _csv(tmp_path, HEAD + "A-1,好,,個,,10,,,\nOLD,重複,,個,,1,,,\nA-2,壞,,,,-1,,,\n")
    report = run_import(ProductImporter, path, actor=sales_admin)
    assert report.imported == 0
    lines = sorted({(p.line, p.column) for p in report.problems})
    assert (3, "sku") in lines and (4, "unit") in lines and (4, "list_price") in lines
    assert list(Product.objects.values_list("sku", flat=True)) == ["OLD"]


def test_stock_import_from_xlsx(tmp_path, sales_admin, warehouse):
    product_create(
        actor=sales_admin, data={"sku": "B-1", "name": "軸承", "unit": "個", "list_price": "1"}
    )
    warehouse_ensure(code="main", name="主倉")
    book = Workbook()
    sheet = book.active
    sheet.append(["sku", "warehouse", "quantity", "note"])
    sheet.append(["B-1", "main", 120, "期初"])
    sheet.append(["B-1", "main", 30, "補貨"])
    path = tmp_path / "stock.xlsx"
    book.save(path)
    report = run_import(StockImporter, path, actor=warehouse)
    assert report.imported == 2
    assert Stock.objects.get().on_hand == 150
    assert StockMovement.objects.filter(kind="receipt").count() == 2


@pytest.mark.parametrize(
    ("row", "column"),
    [("NOPE,main,1", "sku"), ("B-1,far,1", "warehouse"), ("B-1,main,-4", "quantity")],
)
def test_bad_stock_rows(tmp_path, sales_admin, warehouse, row, column):
    product_create(
        actor=sales_admin, data={"sku": "B-1", "name": "軸承", "unit": "個", "list_price": "1"}
    )
    warehouse_ensure(code="main", name="主倉")
    path = _csv(tmp_path, "sku,warehouse,quantity\n" + row + "\n", "stock.csv")
    report = run_import(StockImporter, path, actor=warehouse)
    assert report.imported == 0 and report.problems[0].column == column
    assert not Stock.objects.filter(on_hand__gt=0).exists()


def test_the_product_example_in_the_documentation_imports(tmp_path, sales_admin):
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "docs" / "import.md").read_text("utf-8")
    section = text[text.index("## Products") :]
    block = re.findall(r"```csv\n(.*?)```", section, re.DOTALL)[0]
    report = run_import(ProductImporter, _csv(tmp_path, block), actor=sales_admin)
    assert (report.imported, report.problems) == (2, [])
