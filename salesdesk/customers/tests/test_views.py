"""Customer pages through the Django test client, per persona (C1–C3, U11)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from salesdesk.audit.models import AccessLog, Event
from salesdesk.core.crypto import mask_phone
from salesdesk.core.exports import read_xlsx_rows
from salesdesk.customers import services
from salesdesk.customers.models import Contact, Customer, DataSharingAgreement

TAICHUNG = {
    "kind": "enterprise",
    "legal_name": "台灣精密機械股份有限公司",
    "province": "台灣",
    "city": "台中市",
    "country": "TW",
    "source": "trade_show",
}
MOBILE = "13812345678"
STORED_MOBILE = "+8613812345678"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _customer(owner, *, contact: bool = True, **data) -> Customer:
    contacts = (
        [{"name": "王小明", "mobile": MOBILE, "email": "wang@example.com"}] if contact else []
    )
    saved = services.customer_create(
        actor=owner, data={**TAICHUNG, **data}, contacts=contacts, acknowledge_warnings=True
    )
    return saved.customer


def _form(**overrides) -> dict:
    return {**TAICHUNG, "potential": "unknown", "intention_level": "none", **overrides}


def _agreement(actor, *, days_left: int = 30) -> DataSharingAgreement:
    today = timezone.localdate()
    return services.sharing_register(
        actor=actor,
        recipient="宏遠市場調查公司",
        scope="Customer names and regions",
        document=SimpleUploadedFile("nda.pdf", PDF, content_type="application/pdf"),
        valid_from=today - timedelta(days=60),
        valid_until=today + timedelta(days=days_left),
    )


# The list (C2.1, C3.3, U11)


def test_list_shows_own_customers_with_masked_phones_only(salesperson, other_salesperson):
    mine = _customer(salesperson)
    theirs = _customer(other_salesperson, legal_name="大華貿易有限公司")
    response = _client(salesperson).get(reverse("customers:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert mine.code in body and theirs.code not in body
    assert mask_phone(STORED_MOBILE) in body
    assert MOBILE not in body and "wang@example.com" not in body
    assert "w***@example.com" in body


def test_list_is_refused_without_customer_permission(outsider):
    assert _client(outsider).get(reverse("customers:list")).status_code == 403


def test_list_filters_and_counts_by_stage(salesperson):
    potential = _customer(salesperson, contact=False)
    qualified = _customer(salesperson, contact=False, legal_name="大華貿易有限公司")
    services.customer_transition(actor=salesperson, customer_id=qualified.pk, action="qualify")
    response = _client(salesperson).get(reverse("customers:list"), {"stage": "intentional"})
    assert [row["customer"] for row in response.context["rows"]] == [qualified]
    assert potential.code not in response.content.decode()
    stage = next(f for f in response.context["facets"] if f["name"] == "stage")
    counts = {value: count for value, _label, count in stage["options"]}
    assert counts["intentional"] == 1 and counts["potential"] == 0
    kind = next(f for f in response.context["facets"] if f["name"] == "kind")
    assert ("enterprise", "Enterprise", 1) in kind["options"]


def test_search_finds_traditional_name_by_simplified_query(salesperson):
    customer = _customer(salesperson, contact=False, legal_name="臺灣機械有限公司")
    _customer(salesperson, contact=False, legal_name="大華貿易有限公司")
    response = _client(salesperson).get(reverse("customers:list"), {"q": "台湾机械"})
    assert [row["customer"] for row in response.context["rows"]] == [customer]


def test_search_by_exact_phone_and_htmx_answers_with_the_results_only(salesperson):
    customer = _customer(salesperson)
    _customer(salesperson, contact=False, legal_name="大華貿易有限公司")
    response = _client(salesperson).get(
        reverse("customers:list"),
        {"q": MOBILE},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="customer-results",
    )
    body = response.content.decode()
    assert body.startswith('<div id="customer-results"')
    assert "<html" not in body
    assert [row["customer"] for row in response.context["rows"]] == [customer]


def test_verify_due_filter_lists_customers_not_checked_for_too_long(salesperson):
    stale = _customer(salesperson, contact=False)
    _customer(salesperson, contact=False, legal_name="大華貿易有限公司")
    Customer.objects.filter(pk=stale.pk).update(
        last_verified_at=timezone.now() - timedelta(days=200)
    )
    response = _client(salesperson).get(reverse("customers:list"), {"verify": "due"})
    assert [row["customer"] for row in response.context["rows"]] == [stale]


def test_sorts_by_name_either_way(salesperson):
    b = _customer(salesperson, contact=False, legal_name="Beta Ltd")
    a = _customer(salesperson, contact=False, legal_name="Alpha Ltd")
    client = _client(salesperson)
    ascending = client.get(reverse("customers:list"), {"sort": "name"})
    descending = client.get(reverse("customers:list"), {"sort": "-name"})
    assert [r["customer"] for r in ascending.context["rows"]] == [a, b]
    assert [r["customer"] for r in descending.context["rows"]] == [b, a]
    assert ascending.context["columns"]["name"]["aria_sort"] == "ascending"


def test_xlsx_export_holds_the_filtered_rows_masked_and_writes_one_event(salesperson):
    shown = _customer(salesperson)
    _customer(salesperson, contact=False, legal_name="大華貿易有限公司", kind="individual")
    events = Event.objects.count()
    response = _client(salesperson).get(
        reverse("customers:list"), {"kind": "enterprise", "export": "xlsx"}
    )
    rows = read_xlsx_rows(b"".join(response.streaming_content))
    assert rows[0][:2] == ["Number", "Legal name"]
    assert [row[0] for row in rows[1:]] == [shown.code]
    assert rows[1][-3:-1] == [mask_phone(STORED_MOBILE), None]
    assert Event.objects.count() == events + 1
    event = Event.objects.latest("id")
    assert event.verb == "customer.exported"
    assert event.data["count"] == 1 and event.data["filters"] == {"kind": "enterprise"}
    assert event.data["revealed"] is False
    assert AccessLog.objects.count() == 0


def test_csv_export_is_masked(salesperson):
    _customer(salesperson)
    response = _client(salesperson).get(reverse("customers:list"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert mask_phone(STORED_MOBILE) in text and STORED_MOBILE not in text


def test_export_is_refused_without_the_export_permission(salesperson, supervisor):
    _customer(salesperson)
    events = Event.objects.count()
    response = _client(supervisor).get(reverse("customers:list"), {"export": "xlsx"})
    assert response.status_code == 302
    assert Event.objects.count() == events


def test_export_with_full_contacts_logs_each_contact_with_the_purpose(salesperson):
    customer = _customer(salesperson)
    response = _client(salesperson).post(
        reverse("customers:export_revealed") + "?q=台灣",
        {"purpose": "Trade-show mailing", "format": "xlsx"},
    )
    rows = read_xlsx_rows(b"".join(response.streaming_content))
    assert rows[1][0] == customer.code and STORED_MOBILE in rows[1]
    log = AccessLog.objects.get()
    assert log.object_id == customer.contacts.get().pk
    assert log.purpose == "Trade-show mailing"
    assert Event.objects.latest("id").data["revealed"] is True


# The detail page, stages and verification (C1.4, C2.1, C2.2)


def test_detail_shows_completeness_missing_items_and_owner_actions(salesperson):
    customer = _customer(salesperson)
    response = _client(salesperson).get(reverse("customers:detail", args=[customer.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["score"] == customer.completeness
    assert "invoicing details" in [str(m) for m in response.context["missing"]]
    assert [t.name for t in response.context["transitions"]] == ["qualify", "sign", "mark_lost"]
    assert reverse("customers:edit", args=[customer.pk]) in body
    assert reverse("customers:transition", args=[customer.pk, "mark-lost"]) in body
    assert "Reveal" in body and mask_phone(STORED_MOBILE) in body and MOBILE not in body


def test_every_customer_page_renders_for_the_owner(salesperson):
    customer = _customer(salesperson)
    contact = customer.contacts.get()
    address = services.address_add(
        actor=salesperson, customer_id=customer.pk, data={"label": "廠", "street": "一路1號"}
    )
    services.invoicing_set(
        actor=salesperson, customer_id=customer.pk, data={"invoice_title": "台灣精密"}
    )
    client = _client(salesperson)
    for name, args in (
        ("customers:edit", [customer.pk]),
        ("customers:contact_add", [customer.pk]),
        ("customers:contact_edit", [customer.pk, contact.pk]),
        ("customers:contact_reveal", [customer.pk, contact.pk]),
        ("customers:address_add", [customer.pk]),
        ("customers:address_edit", [customer.pk, address.pk]),
        ("customers:invoicing", [customer.pk]),
        ("customers:create", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200, name
    assert AccessLog.objects.count() == 0


def test_another_salesperson_gets_404_for_every_customer_page(salesperson, other_salesperson):
    customer = _customer(salesperson)
    contact = customer.contacts.get()
    client = _client(other_salesperson)
    for url in (
        reverse("customers:detail", args=[customer.pk]),
        reverse("customers:edit", args=[customer.pk]),
        reverse("customers:contact_reveal", args=[customer.pk, contact.pk]),
        reverse("customers:contact_edit", args=[customer.pk, contact.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_supervisor_views_without_edit_or_reveal_and_posts_change_nothing(salesperson, supervisor):
    customer = _customer(salesperson)
    contact = customer.contacts.get()
    client = _client(supervisor)
    response = client.get(reverse("customers:detail", args=[customer.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("customers:edit", args=[customer.pk]) not in body
    assert reverse("customers:contact_reveal", args=[customer.pk, contact.pk]) not in body
    assert response.context["transitions"] == []
    events = Event.objects.count()
    posts = [
        (reverse("customers:transition", args=[customer.pk, "qualify"]), {}),
        (reverse("customers:verify", args=[customer.pk]), {}),
        (reverse("customers:contact_reveal", args=[customer.pk, contact.pk]), {"purpose": "x y"}),
        (reverse("customers:edit", args=[customer.pk]), _form(legal_name="Changed")),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code in (302, 403), url
    customer.refresh_from_db()
    assert customer.stage == "potential" and customer.legal_name == TAICHUNG["legal_name"]
    assert Event.objects.count() == events
    assert AccessLog.objects.count() == 0


def test_stage_button_moves_the_customer_and_writes_one_event(salesperson):
    customer = _customer(salesperson)
    events = Event.objects.count()
    response = _client(salesperson).post(
        reverse("customers:transition", args=[customer.pk, "qualify"]),
        {"note": "Asked for a quote"},
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.stage == "intentional"
    assert Event.objects.count() == events + 1
    event = Event.objects.latest("id")
    assert (event.verb, event.note) == ("customer.qualified", "Asked for a quote")


def test_stage_action_not_allowed_from_the_current_stage_changes_nothing(salesperson):
    customer = _customer(salesperson)
    events = Event.objects.count()
    response = _client(salesperson).post(
        reverse("customers:transition", args=[customer.pk, "reactivate"])
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.stage == "potential" and Event.objects.count() == events


def test_verify_button_resets_the_clock(salesperson):
    customer = _customer(salesperson)
    Customer.objects.filter(pk=customer.pk).update(
        last_verified_at=timezone.now() - timedelta(days=300)
    )
    _client(salesperson).post(reverse("customers:verify", args=[customer.pk]))
    customer.refresh_from_db()
    assert timezone.now() - customer.last_verified_at < timedelta(minutes=1)
    assert Event.objects.latest("id").verb == "customer.verified"


# Create and edit (C1.1–C1.4)


def test_create_page_hides_owner_from_salespeople_and_offers_it_to_admins(salesperson, sales_admin):
    url = reverse("customers:create")
    assert "owner" not in _client(salesperson).get(url).context["form"].fields
    choices = dict(_client(sales_admin).get(url).context["form"].fields["owner"].widget.choices)
    assert str(salesperson.pk) in choices


def test_create_saves_the_customer_with_its_first_contact(salesperson):
    response = _client(salesperson).post(
        reverse("customers:create"),
        {**_form(), "contact-name": "林美玲", "contact-mobile": "0912345678"},
    )
    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:detail", args=[customer.pk])
    assert customer.owner == salesperson and customer.source == "trade_show"
    assert customer.contacts.get().mobile == "+886912345678"
    assert Event.objects.filter(verb="customer.created").count() == 1


def test_create_with_mistakes_shows_them_next_to_the_fields_and_saves_nothing(salesperson):
    response = _client(salesperson).post(
        reverse("customers:create"),
        {**_form(legal_name="", source="fax"), "contact-name": "林美玲", "contact-mobile": "12"},
    )
    assert response.status_code == 422
    form, contact_form = response.context["form"], response.context["contact_form"]
    assert form.errors["legal_name"] == ["This field is required."]
    assert "source" in form.errors
    assert "mobile" in contact_form.errors
    assert 'id="id_legal_name_error"' in response.content.decode()
    assert Customer.objects.count() == 0 and Contact.objects.count() == 0
    assert Event.objects.count() == 0


def test_failing_check_digit_asks_for_a_reason_and_then_saves(salesperson):
    client = _client(salesperson)
    shanghai = {"country": "CN", "province": "上海市", "city": "上海市"}
    first = client.post(reverse("customers:create"), _form(tax_id="91350100M000100Y44", **shanghai))
    assert first.status_code == 422
    assert first.context["checksum_warning"] is True
    assert "check digit" in first.context["form"].errors["tax_id"][0]
    assert "field-highlight" in first.content.decode()
    assert Customer.objects.count() == 0
    second = client.post(
        reverse("customers:create"),
        _form(
            tax_id="91350100M000100Y44",
            tax_id_override_reason="As printed on the licence",
            **shanghai,
        ),
    )
    assert second.status_code == 302
    customer = Customer.objects.get()
    assert customer.tax_id_override_reason == "As printed on the licence"


def test_malformed_tax_id_is_refused_without_an_override(salesperson):
    response = _client(salesperson).post(
        reverse("customers:create"), _form(tax_id="1234", tax_id_override_reason="trust me")
    )
    assert response.status_code == 422
    assert "tax_id" in response.context["form"].errors
    assert "checksum_warning" not in response.context
    assert Customer.objects.count() == 0 and Event.objects.count() == 0


def test_possible_duplicate_is_listed_with_a_link_until_acknowledged(
    salesperson, other_salesperson
):
    existing = _customer(other_salesperson, contact=False)
    client = _client(salesperson)
    first = client.post(reverse("customers:create"), _form())
    assert first.status_code == 422
    assert [d["customer_id"] for d in first.context["duplicates"]] == [existing.pk]
    body = first.content.decode()
    assert reverse("customers:detail", args=[existing.pk]) in body
    assert 'name="acknowledge_warnings"' in body
    assert Customer.objects.count() == 1
    second = client.post(reverse("customers:create"), _form(acknowledge_warnings="on"))
    assert second.status_code == 302
    assert Customer.objects.count() == 2


def test_same_tax_id_is_refused_even_when_acknowledged(salesperson, other_salesperson):
    existing = _customer(other_salesperson, contact=False, tax_id="22099131", country="TW")
    events = Event.objects.count()
    response = _client(salesperson).post(
        reverse("customers:create"),
        _form(legal_name="別家公司", tax_id="22099131", acknowledge_warnings="on"),
    )
    assert response.status_code == 422
    assert "tax_id" in response.context["form"].errors
    assert response.context["same_tax_id"]["customer_id"] == existing.pk
    assert Customer.objects.count() == 1 and Event.objects.count() == events


def test_edit_sends_only_changed_fields_and_records_them(salesperson):
    customer = _customer(salesperson, contact=False)
    _customer(salesperson, contact=False, legal_name="台灣精密機械有限公司")
    response = _client(salesperson).post(
        reverse("customers:edit", args=[customer.pk]), _form(industry="機械設備")
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.industry == "機械設備"
    event = Event.objects.latest("id")
    assert event.verb == "customer.updated" and set(event.data["changes"]) == {"industry"}


# Contacts, addresses, invoicing (C1.2, C1.3)


def test_contact_edit_keeps_personal_values_left_empty(salesperson):
    customer = _customer(salesperson)
    contact = customer.contacts.get()
    url = reverse("customers:contact_edit", args=[customer.pk, contact.pk])
    page = _client(salesperson).get(url).content.decode()
    assert MOBILE not in page and STORED_MOBILE not in page
    response = _client(salesperson).post(
        url, {"title": "採購經理", "is_decision_maker": "on", "legal_basis": "consent"}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.mobile, contact.title) == ("王小明", STORED_MOBILE, "採購經理")
    assert contact.is_decision_maker is True


def test_contact_and_address_forms_add_records(salesperson):
    customer = _customer(salesperson, contact=False)
    client = _client(salesperson)
    client.post(
        reverse("customers:contact_add", args=[customer.pk]),
        {"name": "陳大文", "email": "chen@example.com", "legal_basis": "contract"},
    )
    client.post(
        reverse("customers:address_add", args=[customer.pk]),
        {"label": "台中廠", "city": "台中市", "street": "工業區一路1號", "country": "TW"},
    )
    bad = client.post(reverse("customers:address_add", args=[customer.pk]), {"label": "空"})
    assert bad.status_code == 422 and "street" in bad.context["form"].errors
    assert customer.contacts.get().email == "chen@example.com"
    assert customer.addresses.get().is_default is True


def test_invoicing_form_keeps_the_account_when_left_empty_and_reveal_logs(salesperson):
    customer = _customer(salesperson, contact=False)
    client = _client(salesperson)
    url = reverse("customers:invoicing", args=[customer.pk])
    data = {"invoice_title": "台灣精密機械股份有限公司", "bank_account": "0123456789012"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "bank_account": ""}).status_code == 302
    assert customer.invoicing.bank_account == "0123456789012"
    detail = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "****9012" in detail and "0123456789012" not in detail
    response = client.post(
        reverse("customers:invoicing_reveal", args=[customer.pk]),
        {"purpose": "Payment check"},
        HTTP_HX_REQUEST="true",
    )
    assert response.content.decode().startswith('<div id="bank-account">')
    assert "0123456789012" in response.content.decode()
    assert AccessLog.objects.get().fields == ["bank_account"]


# Reveal, person export, erasure, access logs (C3.1, C3.3)


def test_reveal_shows_the_full_phone_and_writes_one_access_log_row(salesperson):
    customer = _customer(salesperson)
    contact = customer.contacts.get()
    url = reverse("customers:contact_reveal", args=[customer.pk, contact.pk])
    client = _client(salesperson)
    assert STORED_MOBILE not in client.get(url).content.decode()
    response = client.post(url, {"purpose": "Call about the quote"})
    assert response.status_code == 200
    assert STORED_MOBILE in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.actor, log.object_id, log.purpose) == (
        salesperson,
        contact.pk,
        "Call about the quote",
    )


def test_reveal_with_htmx_swaps_the_row_and_asks_again_without_purpose(salesperson):
    customer = _customer(salesperson)
    contact = customer.contacts.get()
    url = reverse("customers:contact_reveal", args=[customer.pk, contact.pk])
    client = _client(salesperson)
    refused = client.post(url, {"purpose": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and 'name="purpose"' in refused.content.decode()
    assert AccessLog.objects.count() == 0
    response = client.post(url, {"purpose": "Call back"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.startswith(f'<tr id="contact-{contact.pk}"') and STORED_MOBILE in body
    assert AccessLog.objects.count() == 1


def test_erase_anonymises_the_person_and_keeps_the_customer(salesperson, sales_admin):
    customer = _customer(salesperson)
    contact = customer.contacts.get()
    client = _client(sales_admin)
    page = client.get(reverse("customers:contact_privacy", args=[customer.pk, contact.pk]))
    assert page.status_code == 200
    url = reverse("customers:contact_erase", args=[customer.pk, contact.pk])
    unconfirmed = client.post(url, {"reason": "Asked by e-mail"})
    assert unconfirmed.status_code == 302
    contact.refresh_from_db()
    assert contact.erased_at is None
    client.post(url, {"reason": "Asked by e-mail", "confirm": "on"})
    contact.refresh_from_db()
    assert contact.erased_at is not None and contact.name == "[erased]" and contact.mobile == ""
    assert Customer.objects.filter(pk=customer.pk).exists()
    assert Event.objects.latest("id").verb == "contact.erased"


def test_person_export_downloads_json_for_privacy_staff_only(salesperson, sales_admin):
    customer = _customer(salesperson)
    contact = customer.contacts.get()
    url = reverse("customers:contact_export", args=[customer.pk, contact.pk])
    assert _client(salesperson).post(url, {"export-purpose": "Request"}).status_code == 302
    assert AccessLog.objects.count() == 0
    response = _client(sales_admin).post(url, {"export-purpose": "Subject access request"})
    assert response["Content-Type"] == "application/json"
    assert response.json()["mobile"] == STORED_MOBILE
    assert Event.objects.latest("id").verb == "contact.data_exported"


def test_access_log_pages_respect_who_may_read_them(salesperson, sales_admin, it_admin):
    customer = _customer(salesperson)
    contact = customer.contacts.get()
    services.contact_reveal(actor=salesperson, contact_id=contact.pk, purpose="Quote call")
    customer_log = reverse("customers:access_log", args=[customer.pk])
    assert _client(salesperson).get(customer_log).status_code == 403
    response = _client(sales_admin).get(customer_log)
    assert [log.purpose for log in response.context["page_obj"]] == ["Quote call"]
    own = reverse("customers:user_access_log", args=[salesperson.username])
    assert len(_client(salesperson).get(own).context["page_obj"]) == 1
    assert _client(sales_admin).get(own).status_code == 403
    assert len(_client(it_admin).get(own).context["page_obj"]) == 1


# Data sharing (C3.4)


def test_outside_export_without_a_valid_nda_is_refused(salesperson, sales_admin):
    _customer(salesperson)
    expired = _agreement(sales_admin, days_left=-1)
    events = Event.objects.count()
    client = _client(sales_admin)
    for agreement in ("", str(expired.pk)):
        response = client.post(
            reverse("customers:sharing_export"), {"agreement": agreement, "purpose": "Survey"}
        )
        assert response.status_code == 302
        assert "spreadsheetml" not in response.get("Content-Type", "")
    assert Event.objects.count() == events


def test_outside_export_under_a_valid_nda_downloads_and_names_the_recipient(
    salesperson, sales_admin
):
    customer = _customer(salesperson)
    agreement = _agreement(sales_admin)
    response = _client(sales_admin).post(
        reverse("customers:sharing_export") + "?stage=potential",
        {"agreement": agreement.pk, "purpose": "Market survey"},
    )
    rows = read_xlsx_rows(b"".join(response.streaming_content))
    assert [row[0] for row in rows[1:]] == [customer.code]
    assert STORED_MOBILE not in rows[1]
    event = Event.objects.latest("id")
    assert event.verb == "customer.shared" and event.data["recipient"] == agreement.recipient
    assert event.data["filters"] == {"stage": "potential"}
    assert event.data["purpose"] == event.note == "Market survey"


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [("nda.pdf", PDF, True), ("nda.pdf", b"not a pdf", False), ("nda.txt", b"%PDF-1.4", False)],
)
def test_nda_upload_accepts_only_pdf_or_images(sales_admin, name, content, accepted):
    today = timezone.localdate()
    response = _client(sales_admin).post(
        reverse("customers:sharing_create"),
        {
            "recipient": "宏遠市場調查公司",
            "scope": "Names",
            "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=365)).isoformat(),
            "document": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == (302 if accepted else 422)
    assert DataSharingAgreement.objects.count() == (1 if accepted else 0)


def test_nda_file_is_served_only_to_the_register_readers(sales_admin, salesperson):
    agreement = _agreement(sales_admin)
    url = reverse("customers:sharing_document", args=[agreement.pk])
    assert _client(salesperson).get(url).status_code == 403
    response = _client(sales_admin).get(url)
    assert b"".join(response.streaming_content) == PDF
    assert _client(sales_admin).get(reverse("customers:sharing")).status_code == 200
    assert _client(sales_admin).get(reverse("customers:sharing_create")).status_code == 200
    assert _client(salesperson).get(reverse("customers:sharing_create")).status_code == 403


def test_revoking_an_agreement_needs_a_reason(sales_admin):
    agreement = _agreement(sales_admin)
    client = _client(sales_admin)
    url = reverse("customers:sharing_revoke", args=[agreement.pk])
    client.post(url, {"reason": ""})
    agreement.refresh_from_db()
    assert agreement.revoked_at is None
    client.post(url, {"reason": "Contract ended"})
    agreement.refresh_from_db()
    assert agreement.revoked_reason == "Contract ended"
