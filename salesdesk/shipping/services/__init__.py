"""Every write to shipments (S1–S4). Split by step; import from here."""

from salesdesk.shipping.services.carriers import carrier_suggest, shipment_book
from salesdesk.shipping.services.dispatch import shipment_dispatch
from salesdesk.shipping.services.preparation import (
    SHIPMENT_DOCUMENT,
    shipment_cancel,
    shipment_create,
    shipment_readiness,
)
from salesdesk.shipping.services.receipt import (
    complaint_record,
    complaint_resolve,
    receipt_confirm_by_link,
    receipt_confirm_by_upload,
    receipt_link_send,
    survey_answer,
    survey_send,
)
from salesdesk.shipping.services.tracking import (
    shipment_deliver,
    shipments_late_alert,
    tracking_add,
    tracking_push,
)

__all__ = [
    "SHIPMENT_DOCUMENT",
    "carrier_suggest",
    "complaint_record",
    "complaint_resolve",
    "receipt_confirm_by_link",
    "receipt_confirm_by_upload",
    "receipt_link_send",
    "shipment_book",
    "shipment_cancel",
    "shipment_create",
    "shipment_deliver",
    "shipment_dispatch",
    "shipment_readiness",
    "shipments_late_alert",
    "survey_answer",
    "survey_send",
    "tracking_add",
    "tracking_push",
]
