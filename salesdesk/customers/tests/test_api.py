"""The customers JSON API (issue #3): create, list, get, patch, nested records, actions,
reveal with access log, idempotent create, duplicates, tax-ID checks, export, OpenAPI."""

import pytest
from django.forms.models import model_to_dict

from salesdesk.accounts.services import token_create
from salesdesk.audit.models import AccessLog, Event
from salesdesk.core.exports import read_xlsx_rows
from salesdesk.core.models import IdempotencyKey
from salesdesk.customers.models import Contact, Customer
from salesdesk.customers.tests.factories import enterprise

pytestmark = pytest.mark.req("C1.1", "C1.2", "C1.4", "C2.1", "C2.2", "C3.1", "C3.3")

URL = "/api/v1/customers"
MOBILE = "13812345678"
MOBILE_MASKED = "+86*******5678"
PERSON = {"name": "王小明", "mobile": MOBILE, "email": "wang@example.com", "is_primary": True}


def _body(**overrides) -> dict:
    return {
        "kind": "enterprise",
        "legal_name": "廈門鷺島機械有限公司",
        "short_name": "鷺島機械",
        "province": "福建省",
        "city": "廈門市",
        "source": "trade_show",
        **overrides,
    }


def _post(client, url, body=None, **headers):
    return client.post(url, body or {}, content_type="application/json", headers=headers)


def _patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def _row(customer) -> dict:
    return model_to_dict(Customer.objects.get(pk=customer.pk)) | {
        "updated_at": Customer.objects.get(pk=customer.pk).updated_at
    }


@pytest.fixture
def customer(salesperson):
    return enterprise(salesperson, legal_name="泉州晉江鞋材有限公司", contacts=[PERSON])


@pytest.fixture
def api(client, salesperson):
    client.force_login(salesperson)
    return client


def test_create_returns_201_with_masked_contact_and_one_event(api, salesperson):
    response = _post(api, URL, {**_body(), "contacts": [PERSON], "annual_capacity": "1200000.5"})
    assert response.status_code == 201
    body = response.json()
    customer = Customer.objects.get()
    assert body["id"] == customer.pk and body["code"] == customer.code
    assert (body["stage"], body["owner"], body["created_by"]) == ("potential", "sales1", "sales1")
    assert body["annual_capacity"] == "1200000.50"
    assert body["available_actions"] == ["qualify", "sign", "mark-lost"]
    assert body["warnings"] == []
    assert body["contacts"][0]["mobile"] == MOBILE_MASKED
    assert body["contacts"][0]["email"] == "w***@example.com"
    assert body["contacts"][0]["name"] == "王**"
    assert body["completeness"] == customer.completeness > 0
    assert "a ship-to address" in body["missing"]
    assert Contact.objects.get().mobile == "+86" + MOBILE
    assert list(Event.objects.values_list("verb", flat=True)) == ["customer.created"]


def test_create_with_bearer_token(client, salesperson):
    raw = token_create(user=salesperson, name="ERP", actor=salesperson)[1]
    response = client.post(
        URL, _body(), content_type="application/json", headers={"authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 201
    assert Customer.objects.get().owner == salesperson


def test_list_and_get_never_contain_plaintext(api, customer):
    for url in (URL, f"{URL}/{customer.pk}", f"{URL}/{customer.pk}/contacts"):
        text = api.get(url).content.decode()
        assert MOBILE not in text and "wang@example.com" not in text and "王小明" not in text
        assert MOBILE_MASKED in text
    item = api.get(URL).json()["items"][0]
    assert item["primary_contact"]["mobile"] == MOBILE_MASKED
    assert (item["owner"], item["stage"]) == ("sales1", "potential")
    assert item["available_actions"] == ["qualify", "sign", "mark-lost"]
    assert item["completeness"] == customer.completeness


def test_list_filters_search_sort_and_pagination(api, salesperson):
    a = enterprise(salesperson, legal_name="甲乙丙貿易有限公司", industry="textile")
    b = enterprise(salesperson, legal_name="丁戊己電子有限公司", industry="electronics")
    c = enterprise(salesperson, legal_name="庚辛壬化工有限公司", industry="textile")
    assert api.get(URL, {"industry": "textile"}).json()["count"] == 2
    assert [i["id"] for i in api.get(URL, {"q": "丁戊己电子"}).json()["items"]] == [b.pk]
    assert api.get(URL, {"stage": "signed"}).json() == {"count": 0, "items": []}
    assert api.get(URL, {"owner": "sales1"}).json()["count"] == 3
    page = api.get(URL, {"sort": "code", "limit": 2, "offset": 1}).json()
    assert page["count"] == 3
    assert [i["id"] for i in page["items"]] == [b.pk, c.pk]
    assert [i["id"] for i in api.get(URL, {"sort": "-code"}).json()["items"]] == [c.pk, b.pk, a.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"sort": "colour"}, "sort"), ({"limit": 0}, "limit"), ({"limit": 501}, "limit")],
)
def test_list_refuses_bad_parameters(api, params, field):
    response = api.get(URL, params)
    assert response.status_code == 422
    assert list(response.json()["extra"]["fields"]) == [f"query.{field}"]


def test_get_unknown_customer_is_404(api):
    response = api.get(f"{URL}/999999")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_patch_changes_only_sent_fields(api, customer):
    before = _row(customer)
    response = _patch(api, f"{URL}/{customer.pk}", {"industry": "footwear", "potential": "high"})
    assert response.status_code == 200
    assert (response.json()["industry"], response.json()["potential"]) == ("footwear", "high")
    after = _row(customer)
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"industry", "potential", "updated_at", "completeness"}
    event = Event.objects.get(verb="customer.updated")
    assert event.data["changes"]["industry"] == ["", "footwear"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "robot"}, "kind"),
        ({"legal_name": ""}, "legal_name"),
        ({"colour": "red"}, "colour"),
        ({"annual_capacity": "lots"}, "annual_capacity"),
        ({"source": "rumour"}, "source"),
    ],
)
def test_patch_refuses_bad_input_with_422_naming_the_field(api, customer, body, field):
    before, events = _row(customer), Event.objects.count()
    response = _patch(api, f"{URL}/{customer.pk}", body)
    assert response.status_code == 422
    assert field in response.json()["extra"]["fields"]
    assert _row(customer) == before and Event.objects.count() == events


def test_uscc_valid_and_taiwan_ubn_valid(api):
    response = _post(api, URL, _body(tax_id="91350100M000100Y43"))
    assert response.status_code == 201
    assert (response.json()["tax_id"], response.json()["tax_id_kind"]) == (
        "91350100M000100Y43",
        "uscc",
    )
    taiwan = _body(
        legal_name="台中精密股份有限公司", country="TW", city="台中市", tax_id="22099131"
    )
    response = _post(api, URL, taiwan)
    assert response.status_code == 201
    assert response.json()["tax_id_kind"] == "tw_ubn"


def test_malformed_uscc_is_refused_with_422_on_tax_id(api):
    response = _post(api, URL, _body(tax_id="91350100M000100Y4Z"))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert list(body["extra"]["fields"]) == ["tax_id"]
    assert body["extra"]["codes"]["tax_id"] == "malformed_tax_id"
    assert Customer.objects.count() == 0 and Event.objects.count() == 0


def test_checksum_failure_needs_an_override_reason(api):
    response = _post(api, URL, _body(tax_id="91350100M000100Y42"))
    assert response.status_code == 422
    assert response.json()["extra"]["codes"]["tax_id"] == "tax_id_checksum"
    assert Customer.objects.count() == 0
    reason = "營業執照上即為此代碼"
    response = _post(api, URL, _body(tax_id="91350100M000100Y42", tax_id_override_reason=reason))
    assert response.status_code == 201
    assert response.json()["tax_id_override_reason"] == reason


def test_same_tax_id_is_409_naming_the_other_customer(api, salesperson):
    other = enterprise(salesperson, country="CN", tax_id="91350100M000100Y43")
    response = _post(api, URL, _body(tax_id="91350100M000100Y43", acknowledge_warnings=True))
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["extra"]["field"]) == ("duplicate_tax_id", "tax_id")
    assert body["extra"]["duplicate"]["customer_id"] == other.pk
    assert Customer.objects.count() == 1


def test_similar_name_or_same_phone_is_409_until_acknowledged(api, customer):
    similar = _body(legal_name="泉州晋江鞋材有限公司")  # Simplified form of the same name
    response = _post(api, URL, similar)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "possible_duplicate"
    assert [d["customer_id"] for d in body["extra"]["duplicates"]] == [customer.pk]
    same_phone = _body(legal_name="完全不同有限公司", contacts=[{"name": "李四", "mobile": MOBILE}])
    response = _post(api, URL, same_phone)
    assert response.status_code == 409
    assert response.json()["extra"]["duplicates"][0]["customer_id"] == customer.pk
    assert Customer.objects.count() == 1
    response = _post(api, URL, {**similar, "acknowledge_warnings": True})
    assert response.status_code == 201
    assert [w["customer_id"] for w in response.json()["warnings"]] == [customer.pk]


def test_patch_to_a_similar_name_is_409_until_acknowledged(api, customer, salesperson):
    other = enterprise(salesperson, legal_name="福州閩江茶業有限公司")
    before = _row(other)
    response = _patch(api, f"{URL}/{other.pk}", {"legal_name": "泉州晉江鞋材股份有限公司"})
    assert (response.status_code, response.json()["code"]) == (409, "possible_duplicate")
    assert _row(other) == before
    response = _patch(
        api,
        f"{URL}/{other.pk}",
        {"legal_name": "泉州晉江鞋材股份有限公司", "acknowledge_warnings": True},
    )
    assert response.status_code == 200
    assert response.json()["warnings"][0]["customer_id"] == customer.pk


def test_idempotent_create_returns_the_first_customer(api):
    body = {**_body(), "contacts": [PERSON]}
    first = _post(api, URL, body, **{"Idempotency-Key": "order-42"})
    again = _post(api, URL, body, **{"Idempotency-Key": "order-42"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Customer.objects.count() == 1 and Contact.objects.count() == 1
    assert Event.objects.filter(verb="customer.created").count() == 1
    assert IdempotencyKey.objects.get().object_id == first.json()["id"]


def test_idempotency_key_with_a_different_body_is_409(api):
    assert _post(api, URL, _body(), **{"Idempotency-Key": "k1"}).status_code == 201
    response = _post(api, URL, _body(industry="textile"), **{"Idempotency-Key": "k1"})
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Customer.objects.count() == 1 and Event.objects.count() == 1


def test_idempotency_key_of_a_refused_request_can_be_reused(api, customer):
    similar = _body(legal_name="泉州晉江鞋材有限公司")
    assert _post(api, URL, similar, **{"Idempotency-Key": "k2"}).status_code == 409
    assert IdempotencyKey.objects.count() == 0
    acknowledged = {**similar, "acknowledge_warnings": True}
    assert _post(api, URL, acknowledged, **{"Idempotency-Key": "k2"}).status_code == 201


def test_idempotency_keys_are_per_user(client, salesperson, other_salesperson):
    client.force_login(salesperson)
    mine = _post(client, URL, _body(), **{"Idempotency-Key": "same"}).json()["id"]
    client.force_login(other_salesperson)
    other = _post(
        client, URL, _body(acknowledge_warnings=True), **{"Idempotency-Key": "same"}
    ).json()
    assert other["id"] != mine and other["owner"] == "sales2"
    assert Customer.objects.count() == 2


def test_too_long_idempotency_key_is_422(api):
    response = _post(api, URL, _body(), **{"Idempotency-Key": "k" * 201})
    assert response.status_code == 422
    assert list(response.json()["extra"]["fields"]) == ["Idempotency-Key"]
    assert Customer.objects.count() == 0


def test_manager_transfers_owner_but_salesperson_may_not(
    client, api, customer, sales_manager, other_salesperson
):
    before, events = _row(customer), Event.objects.count()
    refused = _patch(api, f"{URL}/{customer.pk}", {"owner": "sales2"})
    assert (refused.status_code, refused.json()["extra"]["field"]) == (403, "owner")
    assert _row(customer) == before and Event.objects.count() == events
    kept = _patch(api, f"{URL}/{customer.pk}", {"owner": None, "industry": "shoes"})
    assert (kept.status_code, kept.json()["owner"]) == (200, "sales1")
    client.force_login(sales_manager)
    moved = _patch(client, f"{URL}/{customer.pk}", {"owner": "sales2"})
    assert (moved.status_code, moved.json()["owner"]) == (200, "sales2")
    assert Event.objects.filter(verb="customer.transferred").count() == 1


def test_stage_actions_walk_the_workflow_and_history_lists_them(api, customer):
    for action, stage in (
        ("qualify", "intentional"),
        ("sign", "signed"),
        ("mark-dormant", "dormant"),
        ("reactivate", "intentional"),
        ("mark-lost", "lost"),
    ):
        response = _post(api, f"{URL}/{customer.pk}/{action}", {"note": f"{action} note"})
        assert (response.status_code, response.json()["stage"]) == (200, stage)
    assert response.json()["available_actions"] == ["reactivate"]
    history = api.get(f"{URL}/{customer.pk}/events").json()
    assert [e["verb"] for e in history] == [
        "customer.lost",
        "customer.reactivated",
        "customer.dormant",
        "customer.signed",
        "customer.qualified",
        "customer.created",
    ]
    assert history[0]["note"] == "mark-lost note"


def test_action_from_the_wrong_stage_is_409_and_changes_nothing(api, customer):
    before, events = _row(customer), Event.objects.count()
    response = _post(api, f"{URL}/{customer.pk}/mark-dormant")
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["extra"]["state"]) == (
        "invalid_transition",
        "potential",
    )
    assert _row(customer) == before and Event.objects.count() == events


def test_action_without_a_body_and_verify(api, customer):
    Customer.objects.filter(pk=customer.pk).update(last_verified_at=None)
    response = api.generic("POST", f"{URL}/{customer.pk}/verify", b"")
    assert response.status_code == 200
    assert response.json()["last_verified_at"] is not None
    assert Event.objects.filter(verb="customer.verified").count() == 1


def test_contacts_add_change_deactivate(api, customer):
    url = f"{URL}/{customer.pk}/contacts"
    added = _post(api, url, {"name": "陳美玲", "phone": "0592-5551234", "is_decision_maker": True})
    assert added.status_code == 201
    contact_id = added.json()["id"]
    assert added.json()["name"] == "陳**" and "5551234" not in added.content.decode()
    changed = _patch(api, f"{url}/{contact_id}", {"title": "採購經理"})
    assert (changed.status_code, changed.json()["title"]) == (200, "採購經理")
    assert Contact.objects.get(pk=contact_id).name == "陳美玲"
    gone = _post(api, f"{url}/{contact_id}/deactivate", {"note": "離職"})
    assert (gone.status_code, gone.json()["is_active"]) == (200, False)
    assert len(api.get(url).json()) == 2
    verbs = list(Event.objects.order_by("id").values_list("verb", flat=True))
    assert verbs[-3:] == ["contact.added", "contact.updated", "contact.deactivated"]


def test_contact_of_another_customer_is_404(api, customer, salesperson):
    other = enterprise(salesperson, contacts=[{"name": "趙六", "mobile": "13900001111"}])
    contact = other.contacts.get()
    response = _post(
        api, f"{URL}/{customer.pk}/contacts/{contact.pk}/reveal", {"purpose": "核對資料"}
    )
    assert response.status_code == 404
    assert (
        _patch(api, f"{URL}/{customer.pk}/contacts/{contact.pk}", {"title": "x"}).status_code == 404
    )
    assert Contact.objects.get(pk=contact.pk).title == ""
    assert AccessLog.objects.count() == 0


def test_contact_reveal_returns_plaintext_and_logs_the_purpose(api, customer, salesperson):
    contact = customer.contacts.get()
    url = f"{URL}/{customer.pk}/contacts/{contact.pk}/reveal"
    response = _post(api, url, {"purpose": "安排送貨", "fields": ["mobile"]})
    assert response.status_code == 200
    assert response.json() == {
        "contact_id": contact.pk,
        "name": None,
        "mobile": "+86" + MOBILE,
        "phone": None,
        "email": None,
    }
    log = AccessLog.objects.get()
    assert (log.actor, log.purpose, log.fields, log.object_id) == (
        salesperson,
        "安排送貨",
        ["mobile"],
        contact.pk,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"purpose": " "}, "purpose"),
        ({}, "purpose"),
        ({"purpose": "核對", "fields": ["iban"]}, "fields.0"),
    ],
)
def test_reveal_refuses_without_purpose_or_with_unknown_fields(api, customer, body, field):
    contact = customer.contacts.get()
    response = _post(api, f"{URL}/{customer.pk}/contacts/{contact.pk}/reveal", body)
    assert response.status_code == 422
    extra = response.json()["extra"]
    assert extra.get("field") == field or list(extra.get("fields", {})) == [field]
    assert AccessLog.objects.count() == 0


def test_customer_reveal_shows_every_contact_and_logs_each(api, customer):
    second = _post(api, f"{URL}/{customer.pk}/contacts", {"name": "林志強", "email": "lin@ex.com"})
    response = _post(api, f"{URL}/{customer.pk}/reveal", {"purpose": "寄送合同"})
    assert response.status_code == 200
    contacts = response.json()["contacts"]
    assert {c["contact_id"]: c["name"] for c in contacts} == {
        customer.contacts.first().pk: "王小明",
        second.json()["id"]: "林志強",
    }
    assert AccessLog.objects.filter(purpose="寄送合同").count() == 2


def test_person_export_and_erasure_by_sales_admin(client, customer, sales_admin):
    client.force_login(sales_admin)
    contact = customer.contacts.get()
    base = f"{URL}/{customer.pk}/contacts/{contact.pk}"
    exported = _post(client, f"{base}/export", {"purpose": "當事人查詢"})
    assert exported.status_code == 200
    assert (exported.json()["name"], exported.json()["mobile"]) == ("王小明", "+86" + MOBILE)
    assert AccessLog.objects.count() == 1
    erased = _post(client, f"{base}/erase", {"reason": "當事人要求刪除"})
    assert erased.status_code == 200
    assert (erased.json()["erased"], erased.json()["mobile"]) == (True, "")
    again = _post(client, f"{base}/reveal", {"purpose": "再看一次"})
    assert (again.status_code, again.json()["code"]) == (409, "erased")
    assert AccessLog.objects.count() == 1
    assert Event.objects.filter(verb__in=["contact.data_exported", "contact.erased"]).count() == 2


def test_person_export_is_403_for_a_salesperson(api, customer):
    contact = customer.contacts.get()
    response = _post(api, f"{URL}/{customer.pk}/contacts/{contact.pk}/export", {"purpose": "查詢"})
    assert response.status_code == 403
    assert AccessLog.objects.count() == 0
    assert not Event.objects.filter(verb="contact.data_exported").exists()


def test_addresses_add_list_change(api, customer, salesperson):
    url = f"{URL}/{customer.pk}/addresses"
    body = {
        "label": "倉庫",
        "recipient": "張三",
        "recipient_phone": MOBILE,
        "street": "湖里大道1號",
    }
    added = _post(api, url, body)
    assert added.status_code == 201
    assert (added.json()["recipient"], added.json()["recipient_phone"]) == ("張*", MOBILE_MASKED)
    assert added.json()["is_default"] is True
    address_id = added.json()["id"]
    changed = _patch(api, f"{url}/{address_id}", {"street": "湖里大道2號"})
    assert (changed.status_code, changed.json()["street"]) == (200, "湖里大道2號")
    assert [a["id"] for a in api.get(url).json()] == [address_id]
    other = enterprise(salesperson)
    assert (
        _patch(api, f"{URL}/{other.pk}/addresses/{address_id}", {"street": "x"}).status_code == 404
    )


def test_invoicing_is_masked_and_revealed_with_a_log(api, customer, client, finance):
    url = f"{URL}/{customer.pk}/invoicing"
    assert api.get(url).status_code == 404
    details = {
        "invoice_title": "泉州晉江鞋材有限公司",
        "bank_name": "中國銀行",
        "bank_account": "6222020200112233",
    }
    assert api.put(url, details, content_type="application/json").status_code == 200
    shown = api.get(url).json()
    assert (shown["bank_account"], shown["bank_name"]) == ("****2233", "中國銀行")
    assert api.get(f"{URL}/{customer.pk}").json()["has_invoicing"] is True
    client.force_login(finance)
    revealed = _post(client, f"{url}/reveal", {"purpose": "開立發票"})
    assert revealed.json() == {"bank_account": "6222020200112233"}
    assert AccessLog.objects.get().fields == ["bank_account"]


def test_access_log_for_team_leads_not_for_the_salesperson(client, api, customer, sales_admin):
    contact = customer.contacts.get()
    _post(api, f"{URL}/{customer.pk}/contacts/{contact.pk}/reveal", {"purpose": "電話回訪"})
    assert api.get(f"{URL}/{customer.pk}/access-log").status_code == 403
    client.force_login(sales_admin)
    rows = client.get(f"{URL}/{customer.pk}/access-log").json()
    assert [(r["actor"], r["purpose"], r["subject_type"]) for r in rows] == [
        ("sales1", "電話回訪", "contact")
    ]


def test_export_xlsx_is_masked_and_logged(api, customer):
    response = api.get(f"{URL}/export", {"format": "xlsx", "stage": "potential"})
    assert response.status_code == 200
    rows = read_xlsx_rows(b"".join(response.streaming_content))
    assert len(rows) == 2
    text = " ".join(str(v) for v in rows[1])
    assert customer.code in text and MOBILE_MASKED in text and MOBILE not in text
    event = Event.objects.get(verb="customer.exported")
    assert event.data == {
        "count": 1,
        "filters": {"stage": "potential"},
        "revealed": False,
        "purpose": "",
        "format": "xlsx",
    }


def test_export_csv(api, customer):
    response = api.get(f"{URL}/export", {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert customer.code in text and MOBILE_MASKED in text and "王小明" not in text


def test_openapi_lists_the_customer_paths(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/customers",
        "/api/v1/customers/export",
        "/api/v1/customers/{customer_id}",
        "/api/v1/customers/{customer_id}/qualify",
        "/api/v1/customers/{customer_id}/sign",
        "/api/v1/customers/{customer_id}/mark-dormant",
        "/api/v1/customers/{customer_id}/mark-lost",
        "/api/v1/customers/{customer_id}/reactivate",
        "/api/v1/customers/{customer_id}/verify",
        "/api/v1/customers/{customer_id}/reveal",
        "/api/v1/customers/{id}/events",
        "/api/v1/customers/{customer_id}/access-log",
        "/api/v1/customers/{customer_id}/contacts",
        "/api/v1/customers/{customer_id}/contacts/{contact_id}",
        "/api/v1/customers/{customer_id}/contacts/{contact_id}/reveal",
        "/api/v1/customers/{customer_id}/contacts/{contact_id}/export",
        "/api/v1/customers/{customer_id}/contacts/{contact_id}/erase",
        "/api/v1/customers/{customer_id}/contacts/{contact_id}/deactivate",
        "/api/v1/customers/{customer_id}/addresses",
        "/api/v1/customers/{customer_id}/addresses/{address_id}",
        "/api/v1/customers/{customer_id}/invoicing",
        "/api/v1/customers/{customer_id}/invoicing/reveal",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/customers"]) == {"get", "post"}
    assert set(paths["/api/v1/customers/{customer_id}"]) == {"get", "patch"}
