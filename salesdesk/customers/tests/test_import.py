"""Customer import from CSV and XLSX through `salesdesk import customers` (C1.4, U2, issue #3)."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from openpyxl import Workbook

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.audit.models import Event
from salesdesk.core.fields import hash_match
from salesdesk.customers import completeness, rules
from salesdesk.customers.importing import CustomerImporter
from salesdesk.customers.models import Contact, Customer, CustomerKind
from salesdesk.customers.tests.factories import enterprise

pytestmark = [pytest.mark.req("C1.4"), pytest.mark.req("U2")]

HEADER = ["kind", "legal_name", "tax_id", "country", "city", "source", "owner"]
HEADER += ["contact_name", "contact_mobile", "contact_email", "contact_is_decision_maker"]
TW = ["enterprise", "台灣精密機械股份有限公司", "22099131", "TW", "臺中市", "trade_show", "sales1"]
TW += ["陳志明", "0912345678", "chen@example.com.tw", "yes"]
CN = ["enterprise", "福州华信电子有限公司", "91350100M000100Y43", "CN", "福州市", "referral"]
CN += ["sales2", "王丽", "13812345678", "wangli@example.cn", "no"]
NO_CITY = ["enterprise", "無城市有限公司", "", "TW", "", "trade_show", "sales1", "", "", "", ""]
BAD_TAX_ID = ["enterprise", "錯誤代碼有限公司", "12345", "TW", "台北市", "trade_show", "sales1"]
BAD_TAX_ID += ["", "", "", ""]


def write_csv(tmp_path, rows, header=HEADER, encoding="utf-8-sig", name="customers.csv"):
    path = tmp_path / name
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(tmp_path, rows, header=HEADER):
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / "customers.xlsx"
    workbook.save(path)
    return path


def run(*args):
    """(exit code, stdout, stderr) of `salesdesk import customers ...`."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "customers", *[str(a) for a in args], stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def counts():
    return Customer.objects.count(), Contact.objects.count(), Event.objects.count()


@pytest.fixture
def owners(salesperson, other_salesperson, system_user):
    return salesperson, other_salesperson


def test_imports_csv_customers_with_contacts_numbers_and_events(owners, tmp_path):
    code, out, err = run(write_csv(tmp_path, [TW, CN]))

    assert (code, err) == (0, "")
    assert "Imported 2 rows." in out
    tw = Customer.objects.get(tax_id="22099131")
    cn = Customer.objects.get(tax_id="91350100M000100Y43")
    assert (tw.owner.username, cn.owner.username) == ("sales1", "sales2")
    assert (tw.tax_id_kind, cn.tax_id_kind) == ("tw_ubn", "uscc")
    assert tw.is_imported and tw.last_verified_at is not None and tw.stage == "potential"
    assert tw.code.startswith("CU-") and tw.code != cn.code
    contact = tw.contacts.get()
    assert (contact.name, contact.mobile, contact.is_decision_maker) == (
        "陳志明",
        "+886912345678",
        True,
    )
    assert contact.is_primary
    for customer in (tw, cn):
        assert customer.completeness == completeness.evaluate(customer)[0]
        assert customer.name_folded and customer.core_name_folded
    events = Event.objects.filter(verb="customer.imported").order_by("object_id")
    assert [(e.object_id, e.actor.username, e.data["line"]) for e in events] == [
        (tw.pk, "system", 2),
        (cn.pk, "system", 3),
    ]


def test_imports_xlsx_with_numbers_typed_as_numbers(owners, tmp_path):
    row = [*TW[:2], 22099131, *TW[3:8], 912345678, *TW[9:]]

    code, _out, _err = run(write_xlsx(tmp_path, [row, CN]))

    assert code == 0
    contact = Customer.objects.get(tax_id="22099131").contacts.get()
    assert contact.mobile == "+886912345678"
    assert Customer.objects.count() == 2


def test_dry_run_reports_line_numbers_and_imports_nothing(owners, tmp_path):
    before = counts()

    code, out, err = run(write_csv(tmp_path, [TW, NO_CITY, CN, BAD_TAX_ID]), "--dry-run")

    assert code == 1
    assert counts() == before == (0, 0, 0)
    assert "4 rows, 2 valid, 2 with errors" in out
    assert "Dry run: nothing imported." in out
    assert "line 3: city: An enterprise needs at least a province or a city." in err
    assert "line 5: tax_id: Not a valid unified social credit code" in err


def test_clean_dry_run_exits_zero_and_imports_nothing(owners, tmp_path):
    code, _out, _err = run(write_csv(tmp_path, [TW, CN]), "--dry-run")

    assert code == 0
    assert counts() == (0, 0, 0)


def test_one_bad_row_imports_nothing_and_every_bad_row_is_listed(owners, tmp_path):
    path = write_csv(tmp_path, [TW, NO_CITY, CN, BAD_TAX_ID])

    code, out, err = run(path)

    assert code == 1
    assert counts() == (0, 0, 0)
    assert "Nothing imported" in out
    with open(f"{path}.errors.csv", encoding="utf-8-sig", newline="") as handle:
        listed = [(row["line"], row["column"]) for row in csv.DictReader(handle)]
    assert listed == [("3", "city"), ("5", "tax_id")]
    assert f"All errors: {path}.errors.csv" in err


def test_skip_invalid_imports_good_rows_and_writes_the_reject_file(owners, tmp_path):
    path = write_csv(tmp_path, [TW, NO_CITY, CN])
    rejects = tmp_path / "rejects.csv"

    code, out, _err = run(path, "--skip-invalid", "--reject-file", rejects)

    assert code == 3
    assert Customer.objects.count() == 2
    assert f"Rejected rows: {rejects}" in out
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [*HEADER, "reason"]
    assert rows[1:] == [[*NO_CITY, "city: An enterprise needs at least a province or a city."]]


def test_duplicate_tax_id_within_the_file_names_the_first_line(owners, tmp_path, monkeypatch):
    monkeypatch.setattr(CustomerImporter, "batch_size", 2)
    again = [TW[0], "另一家公司", *TW[2:]]
    path = write_csv(tmp_path, [TW, [*CN[:2], "22099131", *CN[3:]], CN, again])

    code, _out, err = run(path, "--dry-run")

    assert code == 1
    assert "line 3: tax_id: Same value as line 2 of this file." in err
    # In a later batch the first row is already inserted, so the database check finds it.
    assert "line 5: tax_id: Tax ID already used by customer CU-" in err
    assert counts() == (0, 0, 0)


def test_duplicate_tax_id_against_the_database_is_refused(owners, salesperson, tmp_path):
    existing = enterprise(salesperson, tax_id="22099131")
    before = counts()

    code, _out, err = run(write_csv(tmp_path, [TW]))

    assert code == 1
    assert f"line 2: tax_id: Tax ID already used by customer {existing.code}." in err
    assert counts() == before


def test_missing_required_header_is_a_clear_error(owners, tmp_path):
    path = write_csv(tmp_path, [["台灣精密機械股份有限公司"]], header=["legal_name"])

    code, _out, err = run(path)

    assert code == 1
    assert "Required columns are missing: kind, source." in err
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("encoding", ["big5", "gb18030"])
def test_big5_and_gb18030_files_with_chinese_headers_and_labels(owners, tmp_path, encoding):
    with translation.override("zh-hant"):
        # Choices may be given by their label in any UI language (企業, 展覽, ...).
        labels = [str(CustomerKind.ENTERPRISE.label), str(rules.SOURCE_LABELS["trade_show"])]
    header = ["類型", "公司名稱", "城市", "來源", "負責業務", "聯絡人", "手機"]
    row = [labels[0], "台灣精密機械股份有限公司", "臺中市", labels[1], "sales1", "陳志明"]
    row.append("0912345678")
    if encoding == "gb18030":
        header = ["类型", "公司名称", "城市", "来源", "负责销售", "联系人", "手机"]
        row = ["enterprise", "福州华信电子有限公司", "福州市", "trade_show", "sales1", "王丽"]
        row.append("13812345678")

    code, out, err = run(write_csv(tmp_path, [row], header=header, encoding=encoding))

    assert (code, err) == (0, ""), out
    customer = Customer.objects.get()
    assert customer.legal_name == row[1]
    assert (customer.kind, customer.source) == ("enterprise", "trade_show")
    assert customer.contacts.get().name == row[5]


def test_imported_phones_are_encrypted_at_rest_and_found_by_keyed_hash(owners, tmp_path):
    run(write_csv(tmp_path, [TW, CN]))

    with connection.cursor() as cursor:
        cursor.execute("SELECT name, mobile, email FROM customers_contact")
        raw = " ".join(" ".join(row) for row in cursor.fetchall())
    for plain in ("912345678", "13812345678", "陳志明", "wangli@example.cn"):
        assert plain not in raw
    found = Contact.objects.filter(hash_match(Contact, "mobile", "+886 912-345-678"))
    assert [c.customer.tax_id for c in found] == ["22099131"]


def test_issued_numbers_are_consecutive_and_own_numbers_kept(owners, tmp_path):
    header = ["customer_code", *HEADER]
    third = ["", TW[0], "第三家有限公司", "", *TW[3:]]
    path = write_csv(tmp_path, [["", *TW], ["OLD-0042", *CN], third], header=header)

    assert run(path, "--dry-run")[0] == 0
    code, _out, _err = run(path)

    assert code == 0
    assert Customer.objects.get(tax_id="91350100M000100Y43").code == "OLD-0042"
    issued = sorted(Customer.objects.exclude(code="OLD-0042").values_list("code", flat=True))
    # One block per batch, and the dry run gave its numbers back.
    assert [code[-5:] for code in issued] == ["-0001", "-0002"]
    assert issued[0][:-5] == issued[1][:-5]


def test_sales_admin_may_not_give_customers_to_another_team(sales_admin, owners, tmp_path):
    UserFactory(username="far", roles=["salesperson"])
    row = [*TW[:6], "far", *TW[7:]]

    code, _out, err = run(write_csv(tmp_path, [TW, row]), "--as", "admin1", "--dry-run")

    assert code == 1
    assert "line 3: owner: You may not give a customer to another owner." in err
    assert "line 2" not in err


def test_user_without_import_permission_is_refused(owners, tmp_path):
    code, _out, err = run(write_csv(tmp_path, [TW]), "--as", "sales1")

    assert code == 1
    assert "You may not import customers." in err
    assert counts() == (0, 0, 0)


def test_bad_arguments_exit_with_two(owners, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError) as missing:
        run(tmp_path / "nope.csv")
    with pytest.raises(CommandError) as unknown_kind:
        call_command("import", "planets", str(write_csv(tmp_path, [TW])))

    assert missing.value.returncode == unknown_kind.value.returncode == 2


def test_the_examples_in_the_documentation_import_cleanly(owners, tmp_path):
    docs = Path(__file__).resolve().parents[3] / "docs" / "import.md"
    text = docs.read_text(encoding="utf-8")
    customers = text[
        text.index("## Customers") : text.index("\n## ", text.index("## Customers") + 1)
    ]
    blocks = re.findall(r"```csv\n(.*?)```", customers, re.DOTALL)
    assert len(blocks) == 2

    for number, block in enumerate(blocks):
        path = tmp_path / f"example{number}.csv"
        path.write_text(block, encoding="utf-8")
        code, out, err = run(path)
        assert (code, err) == (0, ""), out

    assert sorted(Customer.objects.values_list("kind", "country", "potential")) == [
        ("enterprise", "CN", "medium"),
        ("enterprise", "TW", "high"),
        ("individual", "TW", "medium"),
    ]
