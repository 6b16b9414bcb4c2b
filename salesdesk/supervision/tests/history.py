"""A scripted history for KPI tests: records and events at chosen times (E2.2)."""

from datetime import date, datetime
from decimal import Decimal
from itertools import count

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.contracts.models import Contract, ContractType, Obligation
from salesdesk.finance.models import Invoice, Payment, PaymentAllocation
from salesdesk.orders.models import Order
from salesdesk.shipping.models import Shipment, SurveyResponse

_serial = count(1)


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A local time in 2026."""
    return timezone.make_aware(datetime(2026, month, day, hour, minute))


def event(subject, verb: str, when: datetime, actor) -> Event:
    return Event.objects.create(
        actor=actor,
        verb=verb,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        subject_label=str(subject),
        created_at=when,
    )


def order(customer, salesperson, *, created: datetime | None = None, **fields) -> Order:
    n = next(_serial)
    values = {
        "number": f"SO-T-{n:04d}",
        "customer": customer,
        "salesperson": salesperson,
        "channel": "written",
        "payment_terms": "net_30",
        "requested_delivery_date": date(2026, 12, 31),
        "status": "approved",
        "created_by": salesperson,
        **fields,
    }
    made = Order.objects.create(**values)
    if created:
        Order.objects.filter(pk=made.pk).update(created_at=created)
        made.refresh_from_db()
    return made


def shipment(an_order, creator, promised: date, **fields) -> Shipment:
    return Shipment.objects.create(
        number=f"DN-T-{next(_serial):04d}",
        order=an_order,
        created_by=creator,
        promised_delivery_date=promised,
        **fields,
    )


def survey(a_shipment, scores: tuple[int, int, int], when: datetime) -> SurveyResponse:
    answer = SurveyResponse.objects.create(
        shipment=a_shipment,
        customer=a_shipment.order.customer,
        quality=scores[0],
        timeliness=scores[1],
        service=scores[2],
    )
    SurveyResponse.objects.filter(pk=answer.pk).update(created_at=when)
    return answer


def contract(customer, drafter, **fields) -> Contract:
    kind, _created = ContractType.objects.get_or_create(
        code="sales", defaults={"name": "Sales", "template": "-"}
    )
    return Contract.objects.create(
        number=f"CT-T-{next(_serial):04d}",
        contract_type=kind,
        customer=customer,
        title="買賣合同",
        body="-",
        drafter=drafter,
        status=fields.pop("status", "active"),
        **fields,
    )


def obligation(a_contract, due: date, fulfilled: date | None = None) -> Obligation:
    return Obligation.objects.create(
        contract=a_contract,
        party="customer",
        kind="payment",
        description=f"付款 {due}",
        due_on=due,
        fulfilled_on=fulfilled,
        responsible_role="finance",
    )


def invoice(customer, an_order, due: date, gross: str, creator, **fields) -> Invoice:
    amount = Decimal(gross)
    return Invoice.objects.create(
        number=f"INV-T-{next(_serial):04d}",
        customer=customer,
        order=an_order,
        issue_date=date(2026, 2, 1),
        due_date=due,
        net_amount=amount,
        tax_amount=Decimal(0),
        gross_amount=amount,
        created_by=creator,
        **fields,
    )


def pay(an_invoice, amount: str, received: date, creator) -> PaymentAllocation:
    payment = Payment.objects.create(
        number=f"PM-T-{next(_serial):04d}",
        customer=an_invoice.customer,
        received_on=received,
        amount=Decimal(amount),
        allocated_amount=Decimal(amount),
        method="bank_transfer",
        created_by=creator,
    )
    allocation = PaymentAllocation.objects.create(
        payment=payment, invoice=an_invoice, amount=Decimal(amount), created_by=creator
    )
    Invoice.objects.filter(pk=an_invoice.pk).update(paid_amount=Decimal(amount))
    return allocation
