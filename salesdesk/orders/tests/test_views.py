"""Order pages through the Django test client, per persona (O1–O4, U2–U4, U11)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.core.exports import read_xlsx_rows
from salesdesk.core.models import Attachment
from salesdesk.customers.models import Customer
from salesdesk.orders.models import ChangeRequest, Delay, Order, StatusLink
from salesdesk.orders.services import order_approve, order_submit
from salesdesk.orders.tests.conftest import delivery

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _entry(customer, **extra) -> dict:
    return {
        "customer": str(customer.pk) if customer else "",
        "channel": "written",
        "payment_terms": "net_30",
        "requested_delivery_date": delivery(),
        "customer_reference": "PO-778",
        "action": "save",
        **extra,
    }


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def held(make_order, salesperson, customer):
    """An order on credit hold: the limit is far below its total."""
    Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("100"))
    return order_submit(actor=salesperson, order_id=make_order().pk)


@pytest.fixture
def approved(make_order, salesperson, sales_admin):
    order = order_submit(actor=salesperson, order_id=make_order().pk)
    return order_approve(actor=sales_admin, order_id=order.pk)


# Entry (O1, U2, U3)


@pytest.mark.req("O1.1", "U2")
def test_entry_page_offers_visible_customers_and_products(salesperson, customer, products):
    response = _client(salesperson).get(reverse("orders:create"))
    body = response.content.decode()
    assert response.status_code == 200
    assert customer.legal_name in body
    assert '<option value="M-750">' in body and 'id="paste-lines"' in body
    assert "salesdesk/order-entry.js" in body


@pytest.mark.parametrize("persona", ["warehouse", "outsider", "legal"])
def test_entry_page_refused_without_add_permission(persona, request, customer, products):
    user = request.getfixturevalue(persona)
    before = Event.objects.count()
    client = _client(user)
    assert client.get(reverse("orders:create")).status_code == 403
    assert client.post(reverse("orders:create"), _entry(customer)).status_code == 403
    assert Order.objects.count() == 0 and Event.objects.count() == before


@pytest.mark.req("O1.1", "U2", "U3")
def test_entry_creates_order_with_a_typed_and_a_pasted_line(salesperson, customer, products):
    data = _entry(
        customer,
        **{"lines-1-sku": "b-6204", "lines-1-quantity": "10", "lines-1-unit_price": "20"},
        **{"lines-2-sku": "", "lines-2-quantity": "", "paste": "M-750\t2\t1500\r\n"},
    )
    response = _client(salesperson).post(reverse("orders:create"), data)
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:detail", args=[order.pk])
    lines = list(order.lines.order_by("line_number").select_related("product"))
    assert [(line.product.sku, line.quantity) for line in lines] == [
        ("B-6204", Decimal("10")),
        ("M-750", Decimal("2")),
    ]
    assert (order.net_amount, order.tax_amount, order.gross_amount) == (
        Decimal("3200.00"),
        Decimal("416.00"),
        Decimal("3616.00"),
    )
    assert order.customer_reference == "PO-778" and order.status == "draft"
    assert Event.objects.filter(verb="order.created", object_id=order.pk).count() == 1


@pytest.mark.req("O1.3")
def test_line_errors_come_back_next_to_their_cells_and_nothing_is_saved(
    salesperson, customer, products
):
    before = Event.objects.count()
    data = _entry(
        customer,
        **{"lines-1-sku": "B-6204", "lines-1-quantity": "0", "lines-1-unit_price": "20"},
        **{"lines-2-sku": "NOPE-1", "lines-2-quantity": "1", "payment_terms": ""},
    )
    response = _client(salesperson).post(reverse("orders:create"), data)
    body = response.content.decode()
    assert response.status_code == 422
    assert 'id="line-1-quantity-error"' in body and "more than zero" in body
    assert 'id="line-2-sku-error"' in body and "Unknown product “NOPE-1”" in body
    assert 'aria-invalid="true"' in body and "This field is required." in body
    assert 'value="NOPE-1"' in body
    assert Order.objects.count() == 0 and Event.objects.count() == before


def test_entry_needs_a_customer_and_a_line(salesperson, products):
    response = _client(salesperson).post(reverse("orders:create"), _entry(customer=None))
    body = response.content.decode()
    assert response.status_code == 422
    assert "Choose a customer." in body and "An order needs at least one line." in body
    assert Order.objects.count() == 0


def test_customer_of_someone_else_is_refused(other_salesperson, customer, products):
    data = _entry(customer, **{"lines-1-sku": "B-6204", "lines-1-quantity": "1"})
    response = _client(other_salesperson).post(reverse("orders:create"), data)
    assert response.status_code == 422
    assert Order.objects.count() == 0


@pytest.mark.req("U2")
def test_paste_and_add_line_buttons_fill_the_grid_without_saving(salesperson, customer, products):
    client = _client(salesperson)
    data = _entry(customer, action="paste", paste="SKU\tQty\tPrice\nM-750\t2\t1,500\n")
    body = client.post(reverse("orders:create"), data).content.decode()
    assert 'name="lines-1-sku" id="line-1-sku" value="M-750"' in body
    assert 'id="entry-gross"' in body and "3,390.00" in body
    data = _entry(customer, action="add_line", **{f"lines-{n}-sku": "" for n in (1, 2, 3)})
    body = client.post(reverse("orders:create"), data).content.decode()
    assert 'id="line-4-sku"' in body and 'id="line-5-sku"' not in body
    assert Order.objects.count() == 0


@pytest.mark.req("U3")
def test_totals_are_computed_on_the_server_with_amount_in_words(salesperson, products):
    data = {"lines-1-sku": "M-750", "lines-1-quantity": "2", "lines-1-unit_price": "1500"}
    response = _client(salesperson).post(reverse("orders:entry_totals"), data)
    body = response.content.decode()
    assert "3,390.00" in body and "叁仟叁佰玖拾元整" in body
    hans = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    hans.force_login(salesperson)
    data["prices_include_tax"] = "on"
    body = hans.post(reverse("orders:entry_totals"), data).content.decode()
    assert "3000.00" in body and "叁仟元整" in body
    data["lines-1-quantity"] = "-1"
    body = _client(salesperson).post(reverse("orders:entry_totals"), data).content.decode()
    assert "Line 1: The quantity must be more than zero." in body


@pytest.mark.req("U2")
def test_product_hint_suggests_the_customers_last_price(
    make_order, approved, salesperson, customer, other_salesperson
):
    url = reverse("orders:entry_product")
    params = {"customer": customer.pk, "lines-3-sku": "b-6204"}
    body = _client(salesperson).get(url, params).content.decode()
    assert "深溝球軸承" in body and 'data-last-price value="20"' in body
    body = _client(other_salesperson).get(url, params).content.decode()
    assert "深溝球軸承" in body and "data-last-price" not in body


def test_customer_search_narrows_the_picker(salesperson, customer, products):
    url = reverse("orders:entry_customers")
    body = _client(salesperson).get(url, {"customer_q": "精工"}).content.decode()
    assert f'<option value="{customer.pk}"' in body
    body = _client(salesperson).get(url, {"customer_q": "不存在"}).content.decode()
    assert f'<option value="{customer.pk}"' not in body


def test_draft_is_edited_on_the_same_page_then_locked(make_order, salesperson, customer):
    order = make_order()
    client = _client(salesperson)
    body = client.get(reverse("orders:edit", args=[order.pk])).content.decode()
    assert 'value="B-6204"' in body and 'value="10"' in body
    data = _entry(customer, **{"lines-1-sku": "B-6204", "lines-1-quantity": "12"})
    response = client.post(reverse("orders:edit", args=[order.pk]), data)
    assert response.status_code == 302
    assert order.lines.get().quantity == Decimal("12")
    order_submit(actor=salesperson, order_id=order.pk)
    assert client.get(reverse("orders:edit", args=[order.pk])).status_code == 403


def test_save_and_submit_runs_the_review(salesperson, customer, products):
    data = _entry(customer, action="submit", **{"lines-1-sku": "B-6204", "lines-1-quantity": "1"})
    _client(salesperson).post(reverse("orders:create"), data)
    order = Order.objects.get()
    assert order.status == "under_review" and order.reviews.count() == 1


# List (O3.2, U11)


def test_list_shows_own_orders_and_refuses_outsiders(
    make_order, salesperson, other_salesperson, outsider
):
    order = make_order()
    assert order.number in _client(salesperson).get(reverse("orders:list")).content.decode()
    assert (
        order.number not in _client(other_salesperson).get(reverse("orders:list")).content.decode()
    )
    assert _client(outsider).get(reverse("orders:list")).status_code == 403


def test_list_filters_and_exports_the_same_rows(held, make_order, salesperson, sales_admin):
    draft = make_order()
    late = make_order()
    Order.objects.filter(pk=late.pk).update(
        requested_delivery_date=timezone.localdate() - timedelta(days=2)
    )
    client = _client(sales_admin)
    url = reverse("orders:list")
    body = client.get(url, {"holds": "on"}).content.decode()
    assert held.number in body and draft.number not in body
    body = client.get(url, {"overdue": "on"}).content.decode()
    assert late.number in body and draft.number not in body and held.number not in body
    body = client.get(url, {"q": draft.number[-4:], "status": "draft"}).content.decode()
    assert draft.number in body and held.number not in body
    response = client.get(url, {"status": "draft", "sort": "number", "export": "xlsx"})
    rows = read_xlsx_rows(b"".join(response.streaming_content))
    assert rows[0][:2] == ["Number", "Created"]
    assert [row[0] for row in rows[1:]] == sorted([draft.number, late.number])
    assert rows[1][6] == "Draft" and rows[1][13] == 226
    response = client.get(url, {"salesperson": salesperson.pk, "export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 4


# Detail: review panel, buttons, holds (O2)


@pytest.mark.req("O2.1")
def test_review_panel_names_the_rules_of_a_held_order(held, salesperson, sales_manager):
    body = _client(salesperson).get(reverse("orders:detail", args=[held.pk])).content.decode()
    assert 'id="review-panel"' in body and "customers.credit_limit" in body
    assert 'id="guarantee-form"' in body and 'id="release-form"' not in body
    assert 'id="override-form"' not in body
    body = _client(sales_manager).get(reverse("orders:detail", args=[held.pk])).content.decode()
    assert 'id="release-form"' in body


@pytest.mark.req("O2.2")
def test_compliance_override_form_lists_the_rule(make_order, salesperson, sales_manager):
    order = make_order(lines=[{"product": "B-6204", "quantity": "1", "discount_rate": "0.2"}])
    order_submit(actor=salesperson, order_id=order.pk)
    client = _client(sales_manager)
    body = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert '<option value="orders.max_discount.salesperson"' in body
    data = {"rule": "orders.max_discount.salesperson", "reason": "年度框架協議價"}
    client.post(reverse("orders:override", args=[order.pk]), data)
    order.refresh_from_db()
    assert order.status == "under_review"


@pytest.mark.req("O2.1")
def test_guarantee_from_the_page_releases_the_credit_hold(held, salesperson):
    data = {
        "kind": "deposit",
        "amount": held.hold_reasons[0]["excess"],
        "document": SimpleUploadedFile("deposit.pdf", PDF, content_type="application/pdf"),
    }
    response = _client(salesperson).post(reverse("orders:guarantee", args=[held.pk]), data)
    held.refresh_from_db()
    assert response.status_code == 302 and held.status == "under_review"
    guarantee = held.guarantees.get()
    url = reverse("orders:guarantee_document", args=[held.pk, guarantee.pk])
    assert b"".join(_client(salesperson).get(url).streaming_content) == PDF


def test_approve_button_is_absent_for_the_submitter(make_order, sales_admin, salesperson):
    own = order_submit(actor=sales_admin, order_id=make_order(actor=sales_admin).pk)
    body = _client(sales_admin).get(reverse("orders:detail", args=[own.pk])).content.decode()
    assert 'id="action-approve"' not in body and 'id="action-reject"' in body
    theirs = order_submit(actor=salesperson, order_id=make_order().pk)
    body = _client(sales_admin).get(reverse("orders:detail", args=[theirs.pk])).content.decode()
    assert 'id="action-approve"' in body
    body = _client(salesperson).get(reverse("orders:detail", args=[theirs.pk])).content.decode()
    assert 'id="action-approve"' not in body and 'id="action-cancel"' in body


def test_approval_through_the_page_and_refusal_for_the_submitter(
    make_order, sales_admin, salesperson
):
    own = order_submit(actor=sales_admin, order_id=make_order(actor=sales_admin).pk)
    before = Event.objects.count()
    response = _client(sales_admin).post(reverse("orders:transition", args=[own.pk, "approve"]))
    own.refresh_from_db()
    assert response.status_code == 302 and own.status == "under_review"
    assert Event.objects.count() == before
    assert any("may not" in m for m in _messages(response))
    theirs = order_submit(actor=salesperson, order_id=make_order().pk)
    _client(sales_admin).post(reverse("orders:transition", args=[theirs.pk, "approve"]))
    theirs.refresh_from_db()
    assert theirs.status == "approved" and theirs.work_orders.filter(kind="picking").count() == 1


def test_reject_and_cancel_need_a_reason(make_order, salesperson, sales_admin):
    order = order_submit(actor=salesperson, order_id=make_order().pk)
    client = _client(sales_admin)
    before = Event.objects.count()
    client.post(reverse("orders:transition", args=[order.pk, "reject"]), {"reason": " "})
    order.refresh_from_db()
    assert order.status == "under_review" and Event.objects.count() == before
    client.post(reverse("orders:transition", args=[order.pk, "reject"]), {"reason": "價格錯誤"})
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == ("rejected", "價格錯誤")


def test_others_cannot_see_or_act_on_the_order(make_order, other_salesperson, outsider):
    order = make_order()
    before = Event.objects.count()
    for user in (other_salesperson, outsider):
        client = _client(user)
        assert client.get(reverse("orders:detail", args=[order.pk])).status_code == 404
        url = reverse("orders:transition", args=[order.pk, "submit"])
        assert client.post(url).status_code == 404
        assert client.post(reverse("orders:status_link", args=[order.pk])).status_code == 404
    order.refresh_from_db()
    assert order.status == "draft" and Event.objects.count() == before


def test_detail_shows_lines_totals_in_words_and_timeline(make_order, salesperson):
    order = make_order(lines=[{"product": "M-750", "quantity": "2", "unit_price": "1500"}])
    body = _client(salesperson).get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "3,390.00" in body and "叁仟叁佰玖拾元整" in body
    assert "伺服馬達" in body and "Order entered" in body


# Verbal confirmation and files (O1.2, U9)


@pytest.mark.req("O1.2")
def test_verbal_confirmation_upload_and_permission_checked_download(
    make_order, salesperson, other_salesperson
):
    order = make_order(channel="verbal")
    client = _client(salesperson)
    assert (
        'id="confirm-form"'
        in client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    )
    upload = SimpleUploadedFile("po.pdf", PDF, content_type="application/pdf")
    client.post(reverse("orders:confirm", args=[order.pk]), {"file": upload})
    order.refresh_from_db()
    assert order.confirmed_at is not None
    attachment = Attachment.objects.get()
    url = reverse("attachment_download", args=[attachment.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert _client(other_salesperson).get(url).status_code == 404


# Change requests, delays, status links (U4, O4.2, O4.3)


@pytest.mark.req("U4")
def test_change_request_through_the_pages(approved, salesperson, sales_admin):
    client = _client(salesperson)
    url = reverse("orders:change_create", args=[approved.pk])
    body = client.get(url).content.decode()
    assert (
        'value="B-6204"' in body
        and 'name="lines-1-quantity" id="line-1-quantity" value="10"' in body
    )
    data = {
        "payment_terms": "net_30",
        "requested_delivery_date": approved.requested_delivery_date.isoformat(),
        "lines-1-sku": "B-6204",
        "lines-1-quantity": "12",
        "lines-1-unit_price": "20",
        "reason": "客戶追加",
    }
    assert client.post(url, {**data, "reason": ""}).status_code == 422
    assert ChangeRequest.objects.count() == 0
    assert client.post(url, data).status_code == 302
    change = ChangeRequest.objects.get()
    assert change.diff == [{"line": 1, "field": "quantity", "before": "10.000", "after": "12"}]
    body = client.get(reverse("orders:detail", args=[approved.pk])).content.decode()
    assert "客戶追加" in body and "Approve change" not in body
    _client(sales_admin).post(reverse("orders:change_decide", args=[change.pk, "approve"]))
    change.refresh_from_db()
    assert change.status == "approved"
    assert approved.lines.get().quantity == Decimal("12")


@pytest.mark.req("O4.3")
def test_delay_recorded_from_the_page(approved, sales_admin, salesperson):
    data = {
        "cause": "force_majeure",
        "new_date": delivery(30),
        "description": "颱風停工",
        "notify_customer": "",
    }
    before = Event.objects.count()
    _client(salesperson).post(reverse("orders:delay", args=[approved.pk]), data)
    assert Delay.objects.count() == 0 and Event.objects.count() == before
    _client(sales_admin).post(reverse("orders:delay", args=[approved.pk]), data)
    approved.refresh_from_db()
    assert Delay.objects.get().cause == "force_majeure"
    assert approved.expected_delivery_date.isoformat() == delivery(30)


@pytest.mark.req("O4.2")
def test_status_link_is_shown_once(approved, salesperson):
    response = _client(salesperson).post(reverse("orders:status_link", args=[approved.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and "/orders/status/" in body
    link = StatusLink.objects.get()
    token = body.split("/orders/status/")[1].split("/")[0]
    assert token not in link.digest
    assert Client().get(reverse("orders:public_status", args=[token])).status_code == 200
