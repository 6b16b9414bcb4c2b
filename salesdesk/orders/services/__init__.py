"""Every write to orders (O1–O4). Split by step; import from here."""

from salesdesk.orders.services.approval import (
    order_approve,
    order_cancel,
    order_reject,
    order_reopen,
)
from salesdesk.orders.services.changes import (
    change_request_approve,
    change_request_create,
    change_request_reject,
)
from salesdesk.orders.services.customer_notices import (
    order_delay_record,
    status_link_create,
    status_link_open,
)
from salesdesk.orders.services.holds import (
    order_compliance_override,
    order_credit_release,
    order_guarantee_record,
)
from salesdesk.orders.services.intake import (
    ORDER_DOCUMENT,
    order_confirm_written,
    order_create,
    order_update,
)
from salesdesk.orders.services.submission import order_submit

__all__ = [
    "ORDER_DOCUMENT",
    "change_request_approve",
    "change_request_create",
    "change_request_reject",
    "order_approve",
    "order_cancel",
    "order_compliance_override",
    "order_confirm_written",
    "order_create",
    "order_credit_release",
    "order_delay_record",
    "order_guarantee_record",
    "order_reject",
    "order_reopen",
    "order_submit",
    "order_update",
    "status_link_create",
    "status_link_open",
]
