"""Per-operation schemas of the customers API (STYLE rule 9): every field named, personal
data masked on the way out unless an operation reveals it (C3.3)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from salesdesk.core.crypto import mask_account, mask_name, mask_phone
from salesdesk.core.workflow import available_actions
from salesdesk.customers import completeness
from salesdesk.customers.models import Customer, ShipToAddress
from salesdesk.customers.selectors import SORTS, masked_contact
from salesdesk.customers.workflow import STAGES

SortKey = Literal[tuple(prefix + key for key in SORTS for prefix in ("", "-"))]
RevealableField = Literal["name", "mobile", "phone", "email"]


class In(Schema):
    """Input schemas refuse fields they do not know (422 naming the field)."""

    model_config = ConfigDict(extra="forbid")


class CustomerQuery(Schema):
    q: str = ""
    kind: str = ""
    industry: str = ""
    potential: str = ""
    stage: str = ""
    source: str = ""
    owner: str = Field("", description="Username of the owner.")
    country: str = ""
    province: str = ""
    city: str = ""
    verify_due_before: date | None = None
    sort: SortKey = "-created"


class CustomerListQuery(CustomerQuery):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class CustomerExportQuery(CustomerQuery):
    format: Literal["xlsx", "csv"] = "xlsx"


class PageQuery(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


class ContactOut(Schema):
    """A contact as lists and details show it: name, phones and e-mail masked."""

    id: int
    name: str
    title: str
    mobile: str
    phone: str
    email: str
    is_decision_maker: bool
    is_influencer: bool
    is_primary: bool
    is_active: bool
    legal_basis: str
    erased: bool


def _primary_contact(customer: Customer) -> dict | None:
    for contact in customer.contacts.all():
        if contact.is_active and contact.erased_at is None:
            return masked_contact(contact)
    return None


class CustomerListItemOut(Schema):
    id: int
    code: str
    kind: str
    legal_name: str
    short_name: str
    tax_id: str
    country: str
    province: str
    city: str
    industry: str
    potential: str
    stage: str
    source: str
    owner: str
    completeness: int
    last_verified_at: datetime | None
    created_at: datetime
    primary_contact: ContactOut | None
    available_actions: list[str]

    @staticmethod
    def resolve_owner(obj: Customer) -> str:
        return obj.owner.username

    @staticmethod
    def resolve_primary_contact(obj: Customer) -> dict | None:
        return _primary_contact(obj)

    @staticmethod
    def resolve_available_actions(obj: Customer, context) -> list[str]:
        return available_actions(STAGES, obj, context["request"].user)


class CustomerPageOut(Schema):
    count: int
    items: list[CustomerListItemOut]


class CustomerOut(CustomerListItemOut):
    tax_id_kind: str
    tax_id_override_reason: str
    district: str
    street: str
    postal_code: str
    business_scope: str
    annual_capacity: Decimal | None
    intention_level: str
    intention_note: str
    source_note: str
    created_by: str
    updated_at: datetime
    missing: list[str] = Field(description="What the completeness score still lacks.")
    contacts: list[ContactOut]
    has_invoicing: bool

    @staticmethod
    def resolve_created_by(obj: Customer) -> str:
        return obj.created_by.username

    @staticmethod
    def resolve_missing(obj: Customer) -> list[str]:
        return [str(label) for label in completeness.evaluate(obj)[1]]

    @staticmethod
    def resolve_contacts(obj: Customer) -> list[dict]:
        return [masked_contact(contact) for contact in obj.contacts.all()]

    @staticmethod
    def resolve_has_invoicing(obj: Customer) -> bool:
        return hasattr(obj, "invoicing")


class DuplicateOut(Schema):
    customer_id: int
    code: str
    name: str
    owner: str
    reason: str


class CustomerSavedOut(CustomerOut):
    warnings: list[DuplicateOut] = Field(
        [], description="Possible duplicates the caller acknowledged when saving."
    )


class ContactIn(In):
    name: str | None = None
    title: str | None = None
    mobile: str | None = None
    phone: str | None = None
    email: str | None = None
    is_decision_maker: bool | None = None
    is_influencer: bool | None = None
    is_primary: bool | None = None
    legal_basis: str | None = None
    consent_note: str | None = None
    purpose: str | None = None
    retain_until: date | None = None
    source: str | None = None


class CustomerFieldsIn(In):
    """The customer's own fields; a PATCH sends only those it changes."""

    kind: str | None = None
    legal_name: str | None = None
    short_name: str | None = None
    tax_id: str | None = None
    tax_id_override_reason: str | None = None
    country: str | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    street: str | None = None
    postal_code: str | None = None
    business_scope: str | None = None
    industry: str | None = None
    potential: str | None = None
    annual_capacity: Decimal | None = None
    intention_level: str | None = None
    intention_note: str | None = None
    source: str | None = None
    source_note: str | None = None
    owner: str | None = Field(None, description="Username of the owner; default the caller.")
    acknowledge_warnings: bool = False


class CustomerCreateIn(CustomerFieldsIn):
    contacts: list[ContactIn] = []


class CustomerPatchIn(CustomerFieldsIn):
    pass


class NoteIn(In):
    note: str = Field("", max_length=2000)


class PurposeIn(In):
    purpose: str = Field(description="Why the caller needs the personal data (logged).")


class ContactRevealIn(PurposeIn):
    fields: list[RevealableField] | None = None


class EraseIn(In):
    reason: str


class ContactRevealOut(Schema):
    contact_id: int
    name: str | None = None
    mobile: str | None = None
    phone: str | None = None
    email: str | None = None


class CustomerRevealOut(Schema):
    customer_id: int
    contacts: list[ContactRevealOut]


class PersonalDataOut(Schema):
    """Everything stored about one person, for a data-subject request (C3.1)."""

    customer: str
    name: str
    title: str
    mobile: str
    phone: str
    email: str
    decision_maker: bool
    influencer: bool
    legal_basis: str
    consent_note: str
    purpose: str
    retain_until: str | None
    source: str
    recorded_at: str


class AddressIn(In):
    label: str | None = None
    recipient: str | None = None
    recipient_phone: str | None = None
    country: str | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    street: str | None = None
    postal_code: str | None = None
    is_default: bool | None = None


class AddressPatchIn(AddressIn):
    is_active: bool | None = None


class AddressOut(Schema):
    id: int
    label: str
    recipient: str
    recipient_phone: str
    country: str
    province: str
    city: str
    district: str
    street: str
    postal_code: str
    is_default: bool
    is_active: bool

    @staticmethod
    def resolve_recipient(obj: ShipToAddress) -> str:
        return mask_name(obj.recipient)

    @staticmethod
    def resolve_recipient_phone(obj: ShipToAddress) -> str:
        return mask_phone(obj.recipient_phone)


class InvoicingIn(In):
    invoice_title: str = ""
    tax_id: str = ""
    registered_address: str = ""
    registered_phone: str = ""
    bank_name: str = ""
    bank_account: str = ""


class InvoicingOut(Schema):
    invoice_title: str
    tax_id: str
    registered_address: str
    registered_phone: str
    bank_name: str
    bank_account: str = Field(description="Masked; reveal it with POST …/invoicing/reveal.")
    updated_at: datetime

    @staticmethod
    def resolve_bank_account(obj) -> str:
        return mask_account(obj.bank_account)


class InvoicingRevealOut(Schema):
    bank_account: str


class AccessLogOut(Schema):
    id: int
    actor: str
    subject_type: str = Field(description="contact or invoicingdetails")
    object_id: int
    subject: str
    fields: list[str]
    purpose: str
    created_at: datetime

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor.username

    @staticmethod
    def resolve_subject_type(obj) -> str:
        return obj.content_type.model

    @staticmethod
    def resolve_subject(obj) -> str:
        return obj.subject_label
