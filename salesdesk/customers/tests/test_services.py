"""Customer services: entry validation, duplicates, completeness, stages, verification (C1–C2)."""

import pytest
from django.db import connection

from salesdesk.audit.models import Event
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.customers.models import Contact, Customer
from salesdesk.customers.services import (
    contact_add,
    customer_create,
    customer_transition,
    customer_update,
    customer_verify,
    invoicing_set,
)
from salesdesk.customers.tests.factories import enterprise
from salesdesk.customers.workflow import STAGES
from salesdesk.testing.workflow import assert_transition_table

BASE = {
    "kind": "enterprise",
    "legal_name": "福州示範科技有限公司",
    "province": "福建省",
    "city": "福州市",
    "source": "trade_show",
}


def _counts():
    return Customer.objects.count(), Contact.objects.count(), Event.objects.count()


@pytest.mark.req("C1.1")
def test_create_records_source_owner_number_and_event(salesperson):
    saved = customer_create(
        actor=salesperson,
        data={**BASE, "source_note": "2026 廣交會"},
        contacts=[{"name": "陳經理", "mobile": "13812345678"}],
    )
    customer = saved.customer
    assert customer.code.startswith("CU-") and customer.owner == salesperson
    assert (customer.source, customer.stage) == ("trade_show", "potential")
    assert customer.last_verified_at is not None
    event = Event.objects.get(verb="customer.created")
    assert event.object_id == customer.pk and event.to_state == "potential"


@pytest.mark.req("C1.4")
def test_valid_uscc_and_tw_ubn_accepted(salesperson):
    a = customer_create(actor=salesperson, data={**BASE, "tax_id": "91350100M000100Y43"}).customer
    b = customer_create(
        actor=salesperson,
        data={**BASE, "legal_name": "台北貿易有限公司", "country": "TW", "tax_id": "22099131"},
        acknowledge_warnings=True,
    ).customer
    assert (a.tax_id_kind, b.tax_id_kind) == ("uscc", "tw_ubn")


@pytest.mark.req("C1.4")
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"tax_id": "91350100M000100Y4Z"}, "tax_id"),
        ({"legal_name": ""}, "legal_name"),
        ({"kind": "robot"}, "kind"),
        ({"source": "rumour"}, "source"),
        ({"annual_capacity": "-5"}, "annual_capacity"),
        ({"city": "", "province": ""}, "city"),
        ({"owner": "nobody"}, "owner"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_refused_naming_field_and_nothing_written(salesperson, data, field):
    before = _counts()
    with pytest.raises(ValidationFailed) as info:
        customer_create(actor=salesperson, data={**BASE, **data})
    assert field in info.value.extra["fields"]
    assert _counts() == before


@pytest.mark.req("C1.4")
@pytest.mark.parametrize(
    ("field", "value"), [("mobile", "12345"), ("email", "not-an-email"), ("name", "")]
)
def test_bad_contact_refused(salesperson, field, value):
    before = _counts()
    contact = {"name": "王小姐", "mobile": "13812345678", field: value}
    with pytest.raises(ValidationFailed) as info:
        customer_create(actor=salesperson, data=BASE, contacts=[contact])
    assert field in info.value.extra["fields"]
    assert _counts() == before


@pytest.mark.req("C1.4")
def test_checksum_failure_needs_override_reason(salesperson):
    data = {**BASE, "tax_id": "91350100M000100Y44"}
    with pytest.raises(ValidationFailed) as info:
        customer_create(actor=salesperson, data=data)
    assert info.value.extra["codes"] == {"tax_id": "tax_id_checksum"}
    assert Customer.objects.count() == 0
    customer = customer_create(
        actor=salesperson, data={**data, "tax_id_override_reason": "營業執照上的代碼如此"}
    ).customer
    assert customer.tax_id == "91350100M000100Y44"


@pytest.mark.req("C1.4")
def test_same_tax_id_refused(salesperson, other_salesperson):
    customer_create(actor=salesperson, data={**BASE, "tax_id": "91350100M000100Y43"})
    before = _counts()
    with pytest.raises(Conflict) as info:
        customer_create(
            actor=other_salesperson,
            data={**BASE, "legal_name": "別的公司", "tax_id": "91350100m000100y43"},
        )
    assert info.value.code == "duplicate_tax_id"
    assert info.value.extra["duplicate"]["owner"] == str(salesperson)
    assert _counts() == before


@pytest.mark.req("C1.4")
def test_similar_name_and_same_phone_warn_until_acknowledged(salesperson, other_salesperson):
    first = customer_create(
        actor=salesperson,
        data={**BASE, "legal_name": "臺灣機械股份有限公司"},
        contacts=[{"name": "林先生", "mobile": "+886 912 345 678"}],
    ).customer
    before = _counts()
    with pytest.raises(Conflict) as info:
        customer_create(actor=other_salesperson, data={**BASE, "legal_name": "台湾机械有限公司"})
    assert info.value.code == "possible_duplicate"
    assert [d["code"] for d in info.value.extra["duplicates"]] == [first.code]
    with pytest.raises(Conflict) as info:
        customer_create(
            actor=other_salesperson,
            data={**BASE, "legal_name": "全新公司"},
            contacts=[{"name": "林", "mobile": "0912345678"}],
        )
    assert "phone" in info.value.extra["duplicates"][0]["reason"]
    assert _counts() == before
    saved = customer_create(
        actor=other_salesperson,
        data={**BASE, "legal_name": "全新公司"},
        contacts=[{"name": "林", "mobile": "0912345678"}],
        acknowledge_warnings=True,
    )
    assert len(saved.warnings) == 1


@pytest.mark.req("C1.4")
def test_completeness_score_and_missing(salesperson):
    customer = enterprise(salesperson)
    low = customer.completeness
    contact_add(
        actor=salesperson,
        customer_id=customer.pk,
        data={"name": "張總", "mobile": "13812345678", "is_decision_maker": True},
    )
    invoicing_set(
        actor=salesperson,
        customer_id=customer.pk,
        data={"invoice_title": "測試企業", "bank_account": "6222 0212 3456 7890"},
    )
    customer.refresh_from_db()
    assert 0 < low < customer.completeness < 100


@pytest.mark.req("C3.2")
def test_raw_rows_hold_no_plaintext_personal_data(salesperson):
    customer = enterprise(
        salesperson,
        contacts=[{"name": "周杰倫", "mobile": "13812345678", "email": "zhou@example.com"}],
    )
    invoicing_set(
        actor=salesperson,
        customer_id=customer.pk,
        data={"invoice_title": "X", "bank_account": "6222021234567890123"},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, mobile, email, mobile_hash FROM customers_contact")
        raw = " ".join(str(v) for v in cursor.fetchone())
        cursor.execute("SELECT bank_account FROM customers_invoicingdetails")
        raw += str(cursor.fetchone()[0])
    for secret in ("周杰倫", "13812345678", "zhou@example.com", "6222021234567890123"):
        assert secret not in raw
    assert Contact.objects.get().mobile == "+8613812345678"


@pytest.mark.req("C2.1")
def test_stage_transition_table(salesperson):
    def in_stage(stage):
        customer = enterprise(salesperson)
        Customer.objects.filter(pk=customer.pk).update(stage=stage)
        customer.refresh_from_db()
        return customer

    counts = assert_transition_table(STAGES, actor=salesperson, make_subject=in_stage)
    assert counts["allowed"] == 11


@pytest.mark.req("C2.1")
def test_stage_change_refused_for_other_salesperson(salesperson, other_salesperson, supervisor):
    customer = enterprise(salesperson)
    before = Event.objects.count()
    with pytest.raises(NotFound):
        customer_transition(actor=other_salesperson, customer_id=customer.pk, action="qualify")
    with pytest.raises(PermissionDenied):
        customer_transition(actor=supervisor, customer_id=customer.pk, action="qualify")
    customer.refresh_from_db()
    assert customer.stage == "potential" and Event.objects.count() == before


def test_sales_admin_of_the_team_may_change_stage(salesperson, sales_admin):
    customer = enterprise(salesperson)
    customer_transition(actor=sales_admin, customer_id=customer.pk, action="qualify")
    customer.refresh_from_db()
    assert customer.stage == "intentional"


def test_update_records_before_and_after(salesperson):
    customer = enterprise(salesperson)
    customer_update(
        actor=salesperson,
        customer_id=customer.pk,
        data={"industry": "機械設備", "potential": "high"},
    )
    event = Event.objects.filter(verb="customer.updated").get()
    assert event.data["changes"]["potential"] == ["unknown", "high"]
    assert event.data["changes"]["industry"] == ["", "機械設備"]


def test_salesperson_cannot_give_customer_away(salesperson, other_salesperson):
    customer = enterprise(salesperson)
    before = Event.objects.count()
    with pytest.raises(PermissionDenied):
        customer_update(
            actor=salesperson, customer_id=customer.pk, data={"owner": other_salesperson.username}
        )
    customer.refresh_from_db()
    assert customer.owner == salesperson and Event.objects.count() == before


def test_manager_transfers_within_team(salesperson, other_salesperson, sales_manager):
    customer = enterprise(salesperson)
    customer_update(
        actor=sales_manager, customer_id=customer.pk, data={"owner": other_salesperson.username}
    )
    customer.refresh_from_db()
    assert customer.owner == other_salesperson
    assert Event.objects.filter(verb="customer.transferred").count() == 1


@pytest.mark.req("C2.2")
def test_verify_resets_clock(salesperson):
    customer = enterprise(salesperson)
    Customer.objects.filter(pk=customer.pk).update(last_verified_at=None)
    verified = customer_verify(actor=salesperson, customer_id=customer.pk, note="電話確認")
    assert verified.last_verified_at is not None
    assert Event.objects.filter(verb="customer.verified").count() == 1
