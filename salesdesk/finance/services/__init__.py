"""Every write to invoices and payments (U1, U6). Split by step; import from here."""

from salesdesk.finance.services.invoicing import (
    INVOICE_DOCUMENT,
    invoice_from_shipments,
    invoice_void,
    order_close_if_done,
)
from salesdesk.finance.services.payments import (
    PAYMENT_DOCUMENT,
    payment_allocate,
    payment_record,
)

__all__ = [
    "INVOICE_DOCUMENT",
    "PAYMENT_DOCUMENT",
    "invoice_from_shipments",
    "invoice_void",
    "order_close_if_done",
    "payment_allocate",
    "payment_record",
]
