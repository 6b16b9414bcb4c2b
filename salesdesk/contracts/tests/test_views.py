"""Contract pages through the Django test client, per persona (K1–K4, U11)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.contracts.models import Breach, Contract, ContractReview, ContractType, Obligation
from salesdesk.contracts.services import (
    contract_activate,
    contract_attach_scan,
    contract_review,
    contract_sign,
    contract_start_signing,
    contract_submit,
    contract_update,
)
from salesdesk.core.exports import read_xlsx_rows

PDF = b"%PDF-1.4 signed contract"


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _detail(contract) -> str:
    return reverse("contracts:detail", args=[contract.pk])


def approve_both(contract, drafter, legal, finance) -> None:
    contract_submit(actor=drafter, contract_id=contract.pk)
    contract_review(actor=legal, contract_id=contract.pk, approve=True)
    contract_review(actor=finance, contract_id=contract.pk, approve=True)


def sign_both(contract, actor, day=None) -> None:
    day = day or timezone.localdate()
    for party, name in (("company", "陳總經理"), ("customer", "林董事長")):
        contract_sign(
            actor=actor, contract_id=contract.pk, party=party, signatory=name, signed_on=day
        )


def activate(contract, drafter, legal, finance) -> Contract:
    """Take a draft through both reviews, both signatures and the scan to active."""
    approve_both(contract, drafter, legal, finance)
    contract_start_signing(actor=drafter, contract_id=contract.pk, method="in_person")
    sign_both(contract, drafter)
    contract_attach_scan(
        actor=drafter,
        contract_id=contract.pk,
        upload=SimpleUploadedFile("signed.pdf", PDF, "application/pdf"),
    )
    return contract_activate(actor=drafter, contract_id=contract.pk)


@pytest.fixture
def active(draft, sales_admin, legal, finance):
    return activate(draft, sales_admin, legal, finance)


# List, filters, export (K3.2, K3.3)


@pytest.mark.req("K3.2")
def test_list_shows_visible_contracts_and_filters(draft, sales_admin, other_salesperson):
    client = _client(sales_admin)
    body = client.get(reverse("contracts:list")).content.decode()
    assert draft.number in body and 'id="contract-new"' in body
    for query in (
        {"q": draft.number[-4:]},
        {"status": "drafting"},
        {"customer": draft.customer_id},
        {"contract_type": draft.contract_type_id},
        {"amount_min": "200", "amount_max": "300"},
    ):
        assert draft.number in client.get(reverse("contracts:list"), query).content.decode()
    for query in (
        {"status": "active"},
        {"amount_min": "1000"},
        {"signed_from": "2020-01-01"},
        {"expiring": "on"},
        {"expired": "on"},
    ):
        assert draft.number not in client.get(reverse("contracts:list"), query).content.decode()
    other = _client(other_salesperson).get(reverse("contracts:list")).content.decode()
    assert draft.number not in other and 'id="contract-new"' not in other


@pytest.mark.req("K3.3")
def test_expiring_and_expired_lists(active, sales_admin):
    client = _client(sales_admin)
    url = reverse("contracts:list")
    Contract.objects.filter(pk=active.pk).update(end_date=timezone.localdate() + timedelta(10))
    assert active.number in client.get(url, {"expiring": "on"}).content.decode()
    assert active.number not in client.get(url, {"expired": "on"}).content.decode()
    Contract.objects.filter(pk=active.pk).update(end_date=timezone.localdate() - timedelta(1))
    assert active.number not in client.get(url, {"expiring": "on"}).content.decode()
    assert active.number in client.get(url, {"expired": "on"}).content.decode()
    signed = timezone.localdate().isoformat()
    assert active.number in client.get(url, {"signed_from": signed}).content.decode()


@pytest.mark.req("K3.2")
def test_export_holds_the_listed_contracts(draft, sales_admin, customer):
    response = _client(sales_admin).get(reverse("contracts:list"), {"export": "xlsx"})
    rows = read_xlsx_rows(b"".join(response.streaming_content))
    assert rows[0][:3] == ["Number", "Title", "Type"]
    assert [(r[0], r[4], r[5], r[7]) for r in rows[1:]] == [
        (draft.number, customer.legal_name, "Drafting", 226)
    ]


def test_list_refused_without_view_permission(outsider, warehouse):
    assert _client(outsider).get(reverse("contracts:list")).status_code == 403
    assert _client(warehouse).get(reverse("contracts:list")).status_code == 403


# Drafting (K1.1, K3.1)


@pytest.mark.req("K1.1")
def test_draft_page_links_the_customers_orders(
    sales_admin, contract_type, approved_order, customer
):
    client = _client(sales_admin)
    page = client.get(reverse("contracts:create"), {"customer": customer.pk})
    assert approved_order.number in page.content.decode()
    partial = client.get(reverse("contracts:draft_orders"), {"customer": customer.pk})
    assert f'value="{approved_order.pk}"' in partial.content.decode()
    response = client.post(
        reverse("contracts:create"),
        {
            "contract_type": contract_type.pk,
            "customer": customer.pk,
            "orders": [approved_order.pk],
            "end_date": "2027-12-31",
            "payment_terms": "",
        },
    )
    contract = Contract.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(contract)
    assert list(contract.orders.all()) == [approved_order]
    assert contract.amount == Decimal("226.00") and contract.title == "銷售合同"
    assert contract.payment_terms == "net_30" and contract.drafter == sales_admin


def test_draft_errors_stay_on_the_form_and_nothing_is_saved(sales_admin, contract_type, customer):
    before = Event.objects.count()
    response = _client(sales_admin).post(
        reverse("contracts:create"),
        {
            "contract_type": contract_type.pk,
            "customer": customer.pk,
            "end_date": "2020-01-01",
            "start_date": "2021-01-01",
        },
    )
    assert response.status_code == 422
    assert "The end date must not be before the start date." in response.content.decode()
    assert not Contract.objects.exists() and Event.objects.count() == before


@pytest.mark.parametrize("persona", ["salesperson", "legal", "finance", "supervisor"])
def test_draft_page_refused_without_draft_permission(persona, request, contract_type, customer):
    client = _client(request.getfixturevalue(persona))
    before = Event.objects.count()
    assert client.get(reverse("contracts:create")).status_code == 403
    data = {"contract_type": contract_type.pk, "customer": customer.pk}
    assert client.post(reverse("contracts:create"), data).status_code == 403
    assert not Contract.objects.exists() and Event.objects.count() == before


@pytest.mark.req("K1.1", "K3.1")
def test_edit_keeps_a_version_and_the_page_shows_sanitized_text(draft, sales_admin):
    client = _client(sales_admin)
    body = (
        draft.body + '<p onclick="steal()">第六條 保密。<script>alert(1)</script></p><a href="x">'
    )
    data = {"title": draft.title, "end_date": "2027-12-31", "amount": "226", "body": body}
    response = client.post(reverse("contracts:edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 2 and draft.end_date.isoformat() == "2027-12-31"
    page = client.get(_detail(draft)).content.decode()
    text = page.split('id="contract-body">')[1].split("</div>")[0]
    assert "<p>第六條 保密。</p>" in text and "<h2>第四條　違約責任</h2>" in text
    assert "steal()" not in text and "alert(1)" not in text and "href" not in text
    assert 'id="version-2"' in page and "steal()&quot;&gt;第六條" in page


@pytest.mark.req("K3.1")
def test_supplementary_agreement_to_an_active_contract(active, sales_admin, contract_type):
    client = _client(sales_admin)
    page = client.get(_detail(active)).content.decode()
    assert 'id="contract-supplement"' in page
    form = client.get(reverse("contracts:create"), {"parent": active.pk}).content.decode()
    assert f"Supplementary agreement to {active.number}" in form
    response = client.post(
        reverse("contracts:create"),
        {
            "contract_type": contract_type.pk,
            "customer": active.customer_id,
            "parent": active.pk,
            "title": "補充協議一",
            "amount": "0",
        },
    )
    supplement = Contract.objects.get(parent=active)
    assert response.status_code == 302 and supplement.title == "補充協議一"
    page = client.get(_detail(active)).content.decode()
    assert 'id="contract-family"' in page and supplement.number in page


# Permissions on the detail page


def test_salesperson_sees_their_customers_contract_read_only(draft, salesperson):
    client = _client(salesperson)
    page = client.get(_detail(draft)).content.decode()
    assert draft.number in page and 'id="action-submit"' not in page
    assert 'id="contract-edit"' not in page
    before = Event.objects.count()
    response = client.post(reverse("contracts:transition", args=[draft.pk, "submit"]))
    assert response.status_code == 302
    assert _messages(response) == ["You may not change this contract."]
    draft.refresh_from_db()
    assert draft.status == "drafting" and Event.objects.count() == before
    assert client.get(reverse("contracts:edit", args=[draft.pk])).status_code == 403


def test_other_salesperson_gets_404(draft, other_salesperson):
    client = _client(other_salesperson)
    before = Event.objects.count()
    assert client.get(_detail(draft)).status_code == 404
    assert client.get(reverse("contracts:pdf", args=[draft.pk])).status_code == 404
    response = client.post(
        reverse("contracts:transition", args=[draft.pk, "void"]), {"reason": "x"}
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == "drafting" and Event.objects.count() == before


def test_supervisor_reads_everything_and_changes_nothing(active, supervisor):
    client = _client(supervisor)
    page = client.get(_detail(active)).content.decode()
    assert active.number in page and 'id="action-terminate"' not in page
    obligation = active.obligations.first()
    breach = Breach.objects.create(
        contract=active, party="company", description="延遲", recorded_by=active.drafter
    )
    before = Event.objects.count()
    for url, data in (
        (reverse("contracts:transition", args=[active.pk, "terminate"]), {"reason": "x"}),
        (reverse("contracts:obligation_fulfil", args=[obligation.pk]), {}),
        (
            reverse("contracts:breach_record", args=[active.pk]),
            {"party": "company", "description": "x"},
        ),
        (reverse("contracts:breach_resolve", args=[breach.pk]), {"outcome": "x"}),
        (reverse("contracts:transition", args=[active.pk, "original-received"]), {}),
    ):
        response = _client(supervisor).post(url, data)
        assert response.status_code == 302 and response["Location"] == _detail(active)
        assert len(_messages(response)) == 1
    active.refresh_from_db()
    obligation.refresh_from_db()
    breach.refresh_from_db()
    assert active.status == "active" and active.original_received_at is None
    assert obligation.fulfilled_on is None and breach.status == "open"
    assert Breach.objects.count() == 1 and Event.objects.count() == before


# Review (K1.2)


@pytest.mark.req("K1.2")
def test_review_panel_and_decisions(draft, sales_admin, legal, finance):
    contract_submit(actor=sales_admin, contract_id=draft.pk)
    legal_client = _client(legal)
    page = legal_client.get(_detail(draft)).content.decode()
    assert 'id="review-form"' in page and "Your decision as Legal" in page
    assert 'id="review-form"' not in _client(sales_admin).get(_detail(draft)).content.decode()
    response = legal_client.post(reverse("contracts:review", args=[draft.pk, "approve"]))
    assert _messages(response) == ["Approval recorded."]
    before = Event.objects.count()
    finance_client = _client(finance)
    response = finance_client.post(reverse("contracts:review", args=[draft.pk, "reject"]))
    assert _messages(response) == ["Say what must change."]
    assert Event.objects.count() == before
    finance_client.post(
        reverse("contracts:review", args=[draft.pk, "reject"]), {"comment": "缺報價單"}
    )
    draft.refresh_from_db()
    assert draft.status == "drafting"
    page = _client(sales_admin).get(_detail(draft)).content.decode()
    assert 'id="review-1-finance"' in page and "缺報價單" in page and "Rejected" in page


@pytest.mark.req("K1.2")
def test_review_queue_lists_pending_reviews_overdue_first(
    draft, sales_admin, legal, contract_type, customer, salesperson
):
    from salesdesk.contracts.services import contract_draft

    second = contract_draft(
        actor=sales_admin, contract_type_id=contract_type.pk, customer_id=customer.pk
    )
    contract_submit(actor=sales_admin, contract_id=draft.pk)
    contract_submit(actor=sales_admin, contract_id=second.pk)
    ContractReview.objects.filter(contract=second).update(
        due_at=timezone.now() - timedelta(hours=1)
    )
    body = _client(legal).get(reverse("contracts:review_queue")).content.decode()
    assert body.index(second.number) < body.index(draft.number)
    assert body.count("badge-danger") == 1
    assert _client(salesperson).get(reverse("contracts:review_queue")).status_code == 403


# Signing (K2)


@pytest.mark.req("K2.1")
def test_activation_without_scan_shows_what_is_missing(draft, sales_admin, legal, finance):
    approve_both(draft, sales_admin, legal, finance)
    client = _client(sales_admin)
    client.post(
        reverse("contracts:start_signing", args=[draft.pk]), {"method": "mail", "originals": "2"}
    )
    client.post(
        reverse("contracts:sign", args=[draft.pk]),
        {"party": "company", "signatory": "陳總", "signed_on": timezone.localdate()},
    )
    before = Event.objects.count()
    response = client.post(reverse("contracts:transition", args=[draft.pk, "activate"]))
    assert _messages(response)[-1] == (
        "Before activation the contract needs the signed scan, the signature of Customer."
    )
    draft.refresh_from_db()
    assert draft.status == "signing" and draft.signing_method == "mail"
    assert Event.objects.count() == before and not Obligation.objects.exists()


@pytest.mark.req("K2.1", "K2.2", "K4.1")
def test_signing_through_the_page_activates_and_shows_the_fulfilment_table(
    draft, sales_admin, legal, finance
):
    approve_both(draft, sales_admin, legal, finance)
    client = _client(sales_admin)
    client.post(reverse("contracts:start_signing", args=[draft.pk]), {"method": "in_person"})
    today = timezone.localdate().isoformat()
    for party in ("company", "customer"):
        client.post(
            reverse("contracts:sign", args=[draft.pk]),
            {"party": party, "signatory": f"{party} 代表", "seal": "合同章", "signed_on": today},
        )
    upload = SimpleUploadedFile("scan.pdf", PDF, "application/pdf")
    client.post(reverse("contracts:scan", args=[draft.pk]), {"file": upload})
    response = client.post(reverse("contracts:transition", args=[draft.pk, "activate"]))
    assert _messages(response)[-1] == "Contract activated."
    draft.refresh_from_db()
    assert draft.status == "active" and draft.signatures.count() == 2
    page = client.get(_detail(draft)).content.decode()
    assert 'id="fulfilment-table"' in page and page.count('data-state="open"') == 2
    assert 'id="original-received"' in page


@pytest.mark.req("K4.1", "K4.2")
def test_fulfilment_table_statuses_fulfil_and_breach(active, sales_admin, finance):
    delivery = active.obligations.get(kind="delivery")
    payment = active.obligations.get(kind="payment")
    client = _client(finance)
    yesterday = timezone.localdate() - timedelta(days=1)
    Obligation.objects.filter(pk=delivery.pk).update(due_on=yesterday - timedelta(days=5))
    page = client.get(_detail(active)).content.decode()
    assert 'data-state="overdue"' in page and 'data-state="open"' in page
    response = client.post(
        reverse("contracts:obligation_fulfil", args=[payment.pk]), {"evidence": "銀行水單"}
    )
    assert _messages(response) == ["Obligation fulfilled."]
    admin = _client(sales_admin)
    admin.post(
        reverse("contracts:obligation_fulfil", args=[delivery.pk]),
        {"fulfilled_on": yesterday.isoformat()},
    )
    page = admin.get(_detail(active)).content.decode()
    assert 'data-state="fulfilled_on_time"' in page and 'data-state="fulfilled_late"' in page
    admin.post(
        reverse("contracts:breach_record", args=[active.pk]),
        {"party": "company", "description": "交貨延遲", "obligation": delivery.pk},
    )
    breach = Breach.objects.get()
    assert breach.obligation == delivery
    admin.post(reverse("contracts:breach_resolve", args=[breach.pk]), {"outcome": "減價 2%"})
    breach.refresh_from_db()
    assert breach.status == "resolved"


@pytest.mark.req("K3.3")
def test_terminate_needs_a_reason(active, sales_admin):
    client = _client(sales_admin)
    url = reverse("contracts:transition", args=[active.pk, "terminate"])
    before = Event.objects.count()
    assert _messages(client.post(url, {"reason": ""})) == ["Give a reason."]
    assert Event.objects.count() == before
    client.post(url, {"reason": "客戶破產"})
    active.refresh_from_db()
    assert active.status == "terminated" and active.end_reason == "客戶破產"


# Contract types (K1.1)


@pytest.mark.req("K1.1")
def test_legal_edits_a_template_only_if_it_renders(contract_type, legal, sales_admin):
    client = _client(legal)
    url = reverse("contracts:type_edit", args=[contract_type.pk])
    page = client.get(url).content.decode()
    assert 'id="template-ok"' in page and "Sample Customer Co., Ltd." in page
    before = Event.objects.count()
    broken = {"name": "銷售合同", "template": "<p>{% for line in lines %}</p>", "is_active": "on"}
    response = client.post(url, broken)
    assert response.status_code == 422
    assert "The contract template has an error" in response.content.decode()
    contract_type.refresh_from_db()
    assert "{% for" not in contract_type.template.split("<h1>")[0]
    assert Event.objects.count() == before
    good = {"name": "銷售合同（新）", "template": "<p>{{ customer.legal_name }}</p>"}
    assert client.post(url, {**good, "is_active": "on"}).status_code == 302
    contract_type.refresh_from_db()
    assert contract_type.name == "銷售合同（新）" and contract_type.is_active
    assert Event.objects.filter(verb="contract_type.changed").count() == 1
    check = client.post(reverse("contracts:type_check"), {"template": "{{ x|nosuch }}"})
    assert 'id="template-error"' in check.content.decode()
    assert _client(sales_admin).get(url).status_code == 403
    assert _client(sales_admin).post(url, good).status_code == 403
    assert ContractType.objects.get().name == "銷售合同（新）"


def test_amount_change_is_a_new_version_on_the_page(draft, sales_admin):
    contract_update(actor=sales_admin, contract_id=draft.pk, data={"amount": "300"})
    page = _client(sales_admin).get(_detail(draft)).content.decode()
    assert 'id="version-2"' in page and "300.00" in page


def test_sanitizer_keeps_only_allowed_tags_without_attributes():
    from salesdesk.contracts.views_common import sanitized_html

    html = (
        '<h2 style="x">條款</h2><p>a<b onclick="x">b</p><img src=x onerror=alert(1)>'
        "<style>p{}</style><table border=1><tr><td>1 &lt; 2<br/>&amp;"
    )
    assert sanitized_html(html) == (
        '<h2>條款</h2><p>a<b>b</b></p><table class="table"><tr><td>1 &lt; 2<br>&amp;'
        "</td></tr></table>"
    )
