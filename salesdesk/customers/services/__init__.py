"""Every write to customers (C1–C3). Split by sub-domain; import from here."""

from salesdesk.customers.services.contacts import (
    address_add,
    address_update,
    contact_add,
    contact_deactivate,
    contact_update,
    invoicing_set,
)
from salesdesk.customers.services.customers import (
    CUSTOMER_DOCUMENT,
    Saved,
    customer_create,
    customer_credit_set,
    customer_transition,
    customer_update,
    customer_verify,
    refresh_completeness,
)
from salesdesk.customers.services.exporting import customers_export
from salesdesk.customers.services.privacy import (
    contact_erase,
    contact_export_personal_data,
    contact_reveal,
    sharing_register,
    sharing_revoke,
    sharing_valid_agreement,
)

__all__ = [
    "CUSTOMER_DOCUMENT",
    "Saved",
    "address_add",
    "address_update",
    "contact_add",
    "contact_deactivate",
    "contact_erase",
    "contact_export_personal_data",
    "contact_reveal",
    "contact_update",
    "customer_create",
    "customer_credit_set",
    "customer_transition",
    "customer_update",
    "customer_verify",
    "customers_export",
    "invoicing_set",
    "refresh_completeness",
    "sharing_register",
    "sharing_revoke",
    "sharing_valid_agreement",
]
