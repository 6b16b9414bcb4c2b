"""The finance importers (kinds `invoices` and `payments`); importing registers them."""

from salesdesk.finance.importing.invoices import InvoiceImporter
from salesdesk.finance.importing.payments import PaymentImporter

__all__ = ["InvoiceImporter", "PaymentImporter"]
