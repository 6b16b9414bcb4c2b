"""Shipping, contract, survey and receivables KPIs from records and events (E2.2, S2.3,
K4.1, K2.2, S4.3, U6)."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from salesdesk.analytics.slicing import Period
from salesdesk.contracts.models import Contract, ContractStatus, Obligation
from salesdesk.finance.models import Invoice, InvoiceStatus, PaymentAllocation
from salesdesk.shipping.models import Shipment, ShipmentStatus, SurveyResponse
from salesdesk.supervision.facts import (
    Fact,
    day_bounds,
    first_event_times,
    local_day,
    success,
    url_of,
)


def on_time_shipments(period: Period) -> list[Fact]:
    """Shipments promised for delivery in the period: on time when the `shipment.delivered`
    event falls on or before the promised day (S2.3). Undelivered ones count once the day has
    passed; cancelled ones never. Person: who created the shipment (the coordinator)."""
    shipments = list(
        Shipment.objects.filter(
            promised_delivery_date__gte=period.start, promised_delivery_date__lte=period.end
        ).exclude(status=ShipmentStatus.CANCELLED)
    )
    delivered = first_event_times(Shipment, "shipment.delivered", [s.pk for s in shipments])
    today, facts = timezone.localdate(), []
    for shipment in shipments:
        at = delivered.get(shipment.pk) or shipment.delivered_at
        if at is None and shipment.promised_delivery_date >= today:
            continue
        facts.append(
            Fact(
                kind="shipment",
                record_id=shipment.pk,
                label=shipment.number,
                url=url_of("shipping:detail", shipment.pk),
                person_id=shipment.created_by_id,
                day=shipment.promised_delivery_date,
                **success(at is not None and local_day(at) <= shipment.promised_delivery_date),
                detail={"due": shipment.promised_delivery_date, "to": at},
            )
        )
    return facts


def contract_execution(period: Period) -> list[Fact]:
    """Obligations due in the period: fulfilled on time ÷ due (K4.1). Open ones count once the
    day has passed. Person: the contract's drafter."""
    obligations = (
        Obligation.objects.filter(due_on__gte=period.start, due_on__lte=period.end)
        .exclude(contract__status=ContractStatus.VOIDED)
        .select_related("contract")
    )
    today, facts = timezone.localdate(), []
    for item in obligations:
        if item.fulfilled_on is None and item.due_on >= today:
            continue
        facts.append(
            Fact(
                kind="obligation",
                record_id=item.pk,
                label=f"{item.contract.number} · {item.description}",
                url=url_of("contracts:detail", item.contract_id),
                person_id=item.contract.drafter_id,
                day=item.due_on,
                **success(item.fulfilled_on is not None and item.fulfilled_on <= item.due_on),
                detail={"due": item.due_on, "to": item.fulfilled_on},
            )
        )
    return facts


def archiving_on_time(period: Period) -> list[Fact]:
    """Contracts whose signed original was due back in the period: on time when the
    `contract.original_received` event came by that day (K2.2, K3.1). Person: the drafter."""
    contracts = list(
        Contract.objects.filter(
            original_due_on__gte=period.start, original_due_on__lte=period.end
        ).exclude(status=ContractStatus.VOIDED)
    )
    received = first_event_times(Contract, "contract.original_received", [c.pk for c in contracts])
    today, facts = timezone.localdate(), []
    for contract in contracts:
        at = received.get(contract.pk) or contract.original_received_at
        if at is None and contract.original_due_on >= today:
            continue
        facts.append(
            Fact(
                kind="contract",
                record_id=contract.pk,
                label=contract.number,
                url=url_of("contracts:detail", contract.pk),
                person_id=contract.drafter_id,
                day=contract.original_due_on,
                **success(at is not None and local_day(at) <= contract.original_due_on),
                detail={"due": contract.original_due_on, "to": at},
            )
        )
    return facts


def survey_scores(period: Period) -> list[Fact]:
    """Each survey answer of the period with the analytics `satisfaction` score,
    (quality + timeliness + service) ÷ 3 (S4.3). Person: the customer's owner, as in
    analytics' salesperson dimension."""
    start, end = day_bounds(period)
    answers = SurveyResponse.objects.filter(
        created_at__gte=start, created_at__lt=end
    ).select_related("shipment", "customer")
    return [
        Fact(
            kind="shipment",
            record_id=answer.shipment_id,
            label=answer.shipment.number,
            url=url_of("shipping:detail", answer.shipment_id),
            person_id=answer.customer.owner_id,
            day=local_day(answer.created_at),
            value=Decimal(answer.quality + answer.timeliness + answer.service) / Decimal(3),
            detail={"customer": answer.customer.code},
        )
        for answer in answers
    ]


def collection(period: Period) -> list[Fact]:
    """Invoices due in the period (and by today): amounts collected by the period's end (or
    today) ÷ amounts due (U6). Person: the order's salesperson, else the customer's owner."""
    as_of = min(period.end, timezone.localdate())
    invoices = list(
        Invoice.objects.filter(
            status=InvoiceStatus.ISSUED, due_date__gte=period.start, due_date__lte=as_of
        ).select_related("order", "customer")
    )
    collected = defaultdict(Decimal)
    paid = (
        PaymentAllocation.objects.filter(
            invoice__in=[i.pk for i in invoices], payment__received_on__lte=as_of
        )
        .values("invoice_id")
        .annotate(total=Sum("amount"))
    )
    for row in paid:
        collected[row["invoice_id"]] = row["total"]
    return [
        Fact(
            kind="invoice",
            record_id=invoice.pk,
            label=invoice.number,
            url=url_of("finance:invoice_detail", invoice.pk),
            person_id=invoice.order.salesperson_id if invoice.order else invoice.customer.owner_id,
            day=invoice.due_date,
            numerator=collected[invoice.pk],
            denominator=invoice.gross_amount,
            detail={"due": invoice.due_date, "as_of": as_of},
        )
        for invoice in invoices
    ]
