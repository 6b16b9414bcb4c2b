"""Order to cash end to end (U1, U6, K4.1): an order of 10 under an active contract, shipped
6 then 4, two receipts, invoiced, paid — the order closes and the contract's delivery and
payment obligations are fulfilled by those documents, not by hand."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesdesk.contracts.demo import SALES_TEMPLATE
from salesdesk.contracts.models import ContractType
from salesdesk.contracts.services import (
    contract_activate,
    contract_attach_scan,
    contract_draft,
    contract_review,
    contract_sign,
    contract_start_signing,
    contract_submit,
)
from salesdesk.finance.services import invoice_from_shipments, payment_record
from salesdesk.shipping.services import receipt_confirm_by_link, receipt_confirm_by_upload
from salesdesk.shipping.services.receipt import link_create
from salesdesk.shipping.tests.test_shipping import _ship, _token


def _active_contract(order, customer, sales_admin, legal, finance):
    kind = ContractType.objects.create(code="sales", name="銷售合同", template=SALES_TEMPLATE)
    contract = contract_draft(
        actor=sales_admin, contract_type_id=kind.pk, customer_id=customer.pk, order_ids=[order.pk]
    )
    contract_submit(actor=sales_admin, contract_id=contract.pk)
    contract_review(actor=legal, contract_id=contract.pk, approve=True)
    contract_review(actor=finance, contract_id=contract.pk, approve=True)
    contract_start_signing(actor=sales_admin, contract_id=contract.pk, method="in_person")
    for party in ("company", "customer"):
        contract_sign(
            actor=sales_admin,
            contract_id=contract.pk,
            party=party,
            signatory="簽署人",
            signed_on=timezone.localdate(),
        )
    contract_attach_scan(
        actor=sales_admin,
        contract_id=contract.pk,
        upload=SimpleUploadedFile("s.pdf", b"%PDF-1.4 s", "application/pdf"),
    )
    return contract_activate(actor=sales_admin, contract_id=contract.pk)


def test_partial_shipments_invoice_payment_close(
    order10,
    customer,
    sales_admin,
    legal,
    finance,
    warehouse,
    logistics,
    carrier,
    system_user,
    django_capture_on_commit_callbacks,
):
    contract = _active_contract(order10, customer, sales_admin, legal, finance)
    first = _ship(
        order10, 6, sales_admin, warehouse, logistics, carrier, django_capture_on_commit_callbacks
    )
    second = _ship(
        order10, 4, sales_admin, warehouse, logistics, carrier, django_capture_on_commit_callbacks
    )
    receipt_confirm_by_link(token=_token(link_create(first, "receipt")), actor=system_user)
    receipt_confirm_by_upload(
        actor=logistics,
        shipment_id=second.pk,
        upload=SimpleUploadedFile("回單.pdf", b"%PDF-1.4 r", "application/pdf"),
    )
    order10.refresh_from_db()
    assert order10.status == "delivered"
    delivery = contract.obligations.get(kind="delivery")
    assert delivery.fulfilled_on == timezone.localdate() and second.number in delivery.evidence

    invoice = invoice_from_shipments(actor=finance, order_id=order10.pk)
    assert invoice.gross_amount == order10.gross_amount
    order10.refresh_from_db()
    assert order10.status == "closed"
    payment_record(
        actor=finance,
        customer_id=customer.pk,
        amount=invoice.gross_amount,
        received_on=timezone.localdate(),
        method="bank_transfer",
        reference="匯款 001",
    )
    payment = contract.obligations.get(kind="payment")
    assert payment.fulfilled_on == timezone.localdate()
    assert not contract.obligations.filter(fulfilled_on__isnull=True).exists()


def test_overdue_invoice_is_a_collection_item_for_finance_and_owner(
    order10,
    customer,
    sales_admin,
    warehouse,
    logistics,
    carrier,
    finance,
    salesperson,
    other_salesperson,
    system_user,
    django_capture_on_commit_callbacks,
):
    from datetime import timedelta

    from salesdesk.finance.models import Invoice
    from salesdesk.workqueue.registry import items_for

    shipment = _ship(
        order10, 10, sales_admin, warehouse, logistics, carrier, django_capture_on_commit_callbacks
    )
    receipt_confirm_by_link(token=_token(link_create(shipment, "receipt")), actor=system_user)
    invoice = invoice_from_shipments(actor=finance, order_id=order10.pk)
    key = f"finance.collect:{invoice.pk}"
    assert key not in [i.key for i in items_for(finance)]
    Invoice.objects.filter(pk=invoice.pk).update(due_date=timezone.localdate() - timedelta(days=5))
    assert key in [i.key for i in items_for(finance)]
    assert key in [i.key for i in items_for(salesperson)]
    assert key not in [i.key for i in items_for(other_salesperson)]
