"""Per-operation schemas of the contracts API (STYLE rule 9; K1–K4)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.urls import reverse
from django.utils.translation import get_language
from ninja import Field, Schema
from pydantic import ConfigDict

from salesdesk.contracts.models import (
    Breach,
    Contract,
    ContractReview,
    ContractStatus,
    ContractVersion,
    Obligation,
    Party,
    SigningMethod,
)
from salesdesk.contracts.selectors import contract_actions, obligation_state
from salesdesk.core.money import amount_in_words
from salesdesk.core.pdf import variant_for_language

StatusCode = Literal[tuple(ContractStatus.values)]
PartyCode = Literal[tuple(Party.values)]
MethodCode = Literal[tuple(SigningMethod.values)]


class In(Schema):
    """Input schemas refuse fields they do not know (422 naming the field)."""

    model_config = ConfigDict(extra="forbid")


class ContractListQuery(Schema):
    customer: int | None = Field(None, description="Customer id.")
    contract_type: int | None = Field(None, description="Contract type id.")
    status: StatusCode | Literal[""] = ""
    signed_from: date | None = Field(None, description="Signed on or after.")
    signed_to: date | None = Field(None, description="Signed on or before.")
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    q: str = Field("", description="Part of the number or title.")
    expiring: bool = Field(False, description="Active and ending within the policy window.")
    expired: bool = Field(False, description="Expired, or active past the end date.")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class TermsIn(In):
    title: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    amount: Decimal | None = Field(None, description="Incl. tax; default: the orders' total.")
    payment_terms: str | None = Field(None, description="A code of policy orders.payment_terms.")
    body: str | None = Field(None, description="HTML text; default: the type's template.")


class ContractCreateIn(TermsIn):
    contract_type: int = Field(description="Contract type id.")
    customer: int = Field(description="Customer id.")
    orders: list[int] = Field(default_factory=list, description="Ids of the customer's orders.")
    parent: int | None = Field(
        None, description="An active contract this supplementary agreement amends."
    )


class ContractPatchIn(TermsIn):
    """A draft's changed fields; a changed text or amount is a new version."""


class NoteIn(In):
    note: str = Field("", max_length=2000)


class CommentIn(In):
    comment: str = Field("", max_length=4000, description="Required when rejecting.")


class ReasonIn(In):
    reason: str = Field(max_length=200)


class StartSigningIn(In):
    method: MethodCode
    originals: int = Field(2, description="Between 1 and 10.")
    esign_provider: str = Field("", max_length=60)
    esign_reference: str = Field("", max_length=100)


class SignIn(In):
    party: PartyCode
    signatory: str = Field(max_length=100)
    signed_on: date
    title: str = Field("", max_length=60)
    seal: str = Field("", max_length=100)
    originals_held: int = Field(1, ge=0, le=10)


class FulfilIn(In):
    fulfilled_on: date | None = Field(None, description="Default: today.")
    evidence: str = Field("", max_length=200)


class BreachIn(In):
    party: PartyCode
    description: str
    remedy: str = ""
    obligation: int | None = Field(None, description="Obligation id of this contract.")


class OutcomeIn(In):
    outcome: str = Field(max_length=2000)


class SignatureOut(Schema):
    party: str
    signatory: str
    title: str
    seal: str
    signed_on: date
    originals_held: int


class ReviewOut(Schema):
    id: int
    round: int
    role: str
    decision: str
    reviewer: str | None
    comment: str
    version: int
    due_at: datetime | None
    decided_at: datetime | None

    @staticmethod
    def resolve_reviewer(obj: ContractReview) -> str | None:
        return obj.reviewer.username if obj.reviewer_id else None


class ObligationOut(Schema):
    id: int
    contract: int
    party: str
    kind: str
    description: str
    amount: Decimal | None
    due_on: date
    status: str = Field(description="open, fulfilled_on_time, fulfilled_late or overdue.")
    fulfilled_on: date | None
    fulfilled_by: str | None
    evidence: str
    responsible_role: str
    order: str | None = Field(description="The order number it derives from.")
    alerted_at: datetime | None

    @staticmethod
    def resolve_contract(obj: Obligation) -> int:
        return obj.contract_id

    @staticmethod
    def resolve_status(obj: Obligation) -> str:
        return obligation_state(obj)

    @staticmethod
    def resolve_fulfilled_by(obj: Obligation) -> str | None:
        return obj.fulfilled_by.username if obj.fulfilled_by_id else None

    @staticmethod
    def resolve_order(obj: Obligation) -> str | None:
        return obj.order.number if obj.order_id else None


class BreachOut(Schema):
    id: int
    contract: int
    party: str
    obligation: int | None
    description: str
    remedy: str
    status: str
    recorded_by: str
    created_at: datetime
    resolved_at: datetime | None

    @staticmethod
    def resolve_contract(obj: Breach) -> int:
        return obj.contract_id

    @staticmethod
    def resolve_obligation(obj: Breach) -> int | None:
        return obj.obligation_id

    @staticmethod
    def resolve_recorded_by(obj: Breach) -> str:
        return obj.recorded_by.username


class VersionOut(Schema):
    number: int
    amount: Decimal
    body: str
    diff: str = Field(description="Unified diff against the previous version.")
    author: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj: ContractVersion) -> str:
        return obj.author.username


class AttachmentOut(Schema):
    id: int
    kind: str
    name: str
    mime_type: str
    size: int
    uploaded_by: str
    created_at: datetime
    url: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.original_name

    @staticmethod
    def resolve_uploaded_by(obj) -> str:
        return obj.uploaded_by.username

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("attachment_download", args=[obj.pk])


class ContractBriefOut(Schema):
    id: int
    number: str
    title: str
    status: str
    amount: Decimal
    signed_on: date | None


class OrderBriefOut(Schema):
    id: int
    number: str
    status: str
    gross_amount: Decimal


class ContractListItemOut(Schema):
    id: int
    number: str
    title: str
    contract_type: int
    contract_type_name: str
    customer: int
    customer_name: str
    parent: int | None = Field(description="The contract a supplementary agreement amends.")
    status: str
    amount: Decimal
    currency: str
    payment_terms: str
    start_date: date | None
    end_date: date | None
    signed_on: date | None
    version: int
    review_round: int
    created_at: datetime
    available_actions: list[str] = Field(
        description="`POST /contracts/{id}/<action>` the caller may take now."
    )

    @staticmethod
    def resolve_contract_type(obj: Contract) -> int:
        return obj.contract_type_id

    @staticmethod
    def resolve_contract_type_name(obj: Contract) -> str:
        return obj.contract_type.name

    @staticmethod
    def resolve_customer(obj: Contract) -> int:
        return obj.customer_id

    @staticmethod
    def resolve_customer_name(obj: Contract) -> str:
        return obj.customer.legal_name

    @staticmethod
    def resolve_parent(obj: Contract) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_available_actions(obj: Contract, context) -> list[str]:
        return contract_actions(obj, context["request"].user)


class ContractPageOut(Schema):
    count: int
    items: list[ContractListItemOut]


class ContractOut(ContractListItemOut):
    body: str
    amount_in_words: str = Field(description="The amount in Chinese capitals (大寫).")
    orders: list[OrderBriefOut]
    drafter: str
    signing_method: str
    esign_provider: str
    esign_reference: str
    originals: int
    original_due_on: date | None
    original_received_at: datetime | None
    end_reason: str
    signatures: list[SignatureOut]
    supplements: list[ContractBriefOut]
    updated_at: datetime

    @staticmethod
    def resolve_amount_in_words(obj: Contract) -> str:
        return amount_in_words(obj.amount, variant_for_language(get_language()))

    @staticmethod
    def resolve_orders(obj: Contract) -> list:
        return list(obj.orders.order_by("number"))

    @staticmethod
    def resolve_drafter(obj: Contract) -> str:
        return obj.drafter.username

    @staticmethod
    def resolve_signatures(obj: Contract) -> list:
        return list(obj.signatures.order_by("party"))

    @staticmethod
    def resolve_supplements(obj: Contract) -> list:
        return list(obj.supplements.order_by("created_at", "pk"))
