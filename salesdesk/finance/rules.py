"""Finance-light rules: due dates from payment terms, ageing buckets, event labels (U6)."""

import calendar
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import ValidationFailed

# Days after the issue date per payment-terms code (orders.rules.PAYMENT_TERMS).
TERM_DAYS = {"prepayment": 0, "cash_on_delivery": 0, "net_30": 30, "net_60": 60, "net_90": 90}
MONTHLY_STATEMENT = "monthly_statement"
MONTHLY_STATEMENT_DAYS = 30

# (key, label, first day past due, last day past due or None for no end).
BUCKETS = (
    ("days_0_30", _("0–30 days"), 0, 30),
    ("days_31_60", _("31–60 days"), 31, 60),
    ("days_61_90", _("61–90 days"), 61, 90),
    ("days_91_180", _("91–180 days"), 91, 180),
    ("over_180", _("Over 180 days"), 181, None),
)
NOT_DUE = "not_due"
NOT_DUE_LABEL = _("Not yet due")

EVENT_LABELS = {
    "invoice.issued": _("Invoice issued"),
    "invoice.imported": _("Invoice imported"),
    "payment.recorded": _("Payment recorded"),
    "payment.imported": _("Payment imported"),
    "payment.allocated": _("Payment allocated"),
}


def due_date_for(terms: str, issue_date: date) -> date:
    """Prepayment and cash on delivery: the issue date; net N: +N days; monthly statement:
    the end of the issue month + 30 days (U6)."""
    if terms in TERM_DAYS:
        return issue_date + timedelta(days=TERM_DAYS[terms])
    if terms == MONTHLY_STATEMENT:
        last = calendar.monthrange(issue_date.year, issue_date.month)[1]
        return issue_date.replace(day=last) + timedelta(days=MONTHLY_STATEMENT_DAYS)
    raise ValidationFailed(
        _("Unknown payment terms %(terms)s: no due date can be computed.") % {"terms": terms},
        code="unknown_payment_terms",
        extra={"field": "payment_terms"},
    )


def bucket_of(days_past_due: int) -> str:
    """The ageing bucket of an open amount `days_past_due` days after its due date."""
    if days_past_due <= 0:
        return NOT_DUE
    for key, _label, first, last in BUCKETS:
        if days_past_due >= first and (last is None or days_past_due <= last):
            return key
    return BUCKETS[-1][0]
