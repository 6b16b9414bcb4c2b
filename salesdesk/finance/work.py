"""Collection reminders (U6): overdue invoices wait in the work queue of finance and of the
customer's owner, oldest due first."""

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.core.dates import end_of_day
from salesdesk.finance.models import Invoice, InvoiceStatus
from salesdesk.finance.policies import visible_to
from salesdesk.workqueue.registry import WorkItem, provider

MAX_ITEMS = 30


@provider
def overdue_invoices(user):
    if not user.has_perm("finance.view_invoice"):
        return []
    overdue = Invoice.objects.filter(
        visible_to(user),
        status=InvoiceStatus.ISSUED,
        due_date__lt=timezone.localdate(),
        paid_amount__lt=F("gross_amount"),
    )
    if not user.has_perm("finance.add_payment"):
        overdue = overdue.filter(customer__owner=user)  # salespeople chase their own customers
    overdue = overdue.select_related("customer").order_by("due_date")[:MAX_ITEMS]
    return [
        WorkItem(
            key=f"finance.collect:{invoice.pk}",
            title=_("Collect %(amount)s on invoice %(n)s")
            % {"amount": invoice.gross_amount - invoice.paid_amount, "n": invoice.number},
            url=reverse("finance:invoice_detail", args=[invoice.pk]),
            kind=_("Collection"),
            due_at=end_of_day(invoice.due_date),
            assignee=str(invoice.customer.owner),
            detail=str(invoice.customer),
        )
        for invoice in overdue
    ]
