"""Every write to contracts (K1–K4). Split by step; import from here."""

from salesdesk.contracts.services.drafting import contract_draft, contract_update
from salesdesk.contracts.services.execution import (
    breach_record,
    breach_resolve,
    contract_complete,
    contract_terminate,
    contract_void,
    contracts_expire,
    obligation_fulfil,
    obligations_alert,
)
from salesdesk.contracts.services.review import contract_review, contract_submit
from salesdesk.contracts.services.signing import (
    contract_activate,
    contract_attach_scan,
    contract_original_received,
    contract_sign,
    contract_start_signing,
)

__all__ = [
    "breach_record",
    "breach_resolve",
    "contract_activate",
    "contract_attach_scan",
    "contract_complete",
    "contract_draft",
    "contract_original_received",
    "contract_review",
    "contract_sign",
    "contract_start_signing",
    "contract_submit",
    "contract_terminate",
    "contract_update",
    "contract_void",
    "contracts_expire",
    "obligation_fulfil",
    "obligations_alert",
]
