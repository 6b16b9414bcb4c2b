"""Contract lifecycle (DESIGN §3): drafting → in_review → approved → signing → active →
completed | terminated | expired, and voided before signing (K1–K3)."""

from django.utils.translation import gettext_lazy as _

from salesdesk.contracts.models import ContractStatus as S
from salesdesk.contracts.policies import can_draft
from salesdesk.core.workflow import Transition, Workflow

CONTRACT = Workflow(
    name="contract",
    state_field="status",
    states=S,
    transitions=(
        Transition(
            "submit",
            (S.DRAFTING,),
            S.IN_REVIEW,
            "contracts.draft_contract",
            "contract.submitted",
            _("Submit for review"),
            can_draft,
        ),
        Transition(
            "approve",
            (S.IN_REVIEW,),
            S.APPROVED,
            "contracts.review_contract",
            "contract.approved",
            _("Approve"),
        ),
        Transition(
            "return_to_drafter",
            (S.IN_REVIEW,),
            S.DRAFTING,
            "contracts.review_contract",
            "contract.returned",
            _("Return to drafter"),
        ),
        Transition(
            "start_signing",
            (S.APPROVED,),
            S.SIGNING,
            "contracts.sign_contract",
            "contract.signing_started",
            _("Start signing"),
            can_draft,
        ),
        Transition(
            "activate",
            (S.SIGNING,),
            S.ACTIVE,
            "contracts.sign_contract",
            "contract.activated",
            _("Activate"),
            can_draft,
        ),
        Transition(
            "complete",
            (S.ACTIVE,),
            S.COMPLETED,
            "contracts.end_contract",
            "contract.completed",
            _("Mark completed"),
        ),
        Transition(
            "terminate",
            (S.ACTIVE,),
            S.TERMINATED,
            "contracts.end_contract",
            "contract.terminated",
            _("Terminate"),
        ),
        Transition(
            "expire",
            (S.ACTIVE,),
            S.EXPIRED,
            "contracts.end_contract",
            "contract.expired",
            _("Expire"),
        ),
        Transition(
            "void",
            (S.DRAFTING, S.IN_REVIEW, S.APPROVED, S.SIGNING),
            S.VOIDED,
            "contracts.end_contract",
            "contract.voided",
            _("Void"),
        ),
    ),
)
