"""The invoice lifecycle (U1): issued, then voided with a reason; nothing else."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core.workflow import Transition, Workflow
from salesdesk.finance.models import InvoiceStatus as S

INVOICE = Workflow(
    name="invoice",
    state_field="status",
    states=S,
    transitions=(
        Transition(
            "void",
            (S.ISSUED,),
            S.VOIDED,
            "finance.void_invoice",
            "invoice.voided",
            _("Void"),
        ),
    ),
)
