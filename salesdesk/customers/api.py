"""Customers API (C1–C3): list, create, read and edit customers; their contacts, ship-to
addresses and invoicing details; stage actions, audited reveal, history, access log, export.

Every handler parses, calls one service or selector, and returns a schema. A customer the
caller may not see is 404, an action they may not take 403, a wrong state 409.
"""

from dataclasses import fields as dataclass_fields
from functools import reduce
from operator import or_

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from salesdesk.audit.api import add_events_route
from salesdesk.audit.selectors import access_log_for
from salesdesk.core.errors import NotFound, PermissionDenied
from salesdesk.core.exports import csv_response, xlsx_response
from salesdesk.core.idempotency import idempotent_create
from salesdesk.customers import selectors, services
from salesdesk.customers.models import Contact, Customer, InvoicingDetails, ShipToAddress
from salesdesk.customers.policies import can_reveal
from salesdesk.customers.schemas import (
    AccessLogOut,
    AddressIn,
    AddressOut,
    AddressPatchIn,
    ContactIn,
    ContactOut,
    ContactRevealIn,
    ContactRevealOut,
    CustomerCreateIn,
    CustomerExportQuery,
    CustomerListQuery,
    CustomerOut,
    CustomerPageOut,
    CustomerPatchIn,
    CustomerQuery,
    CustomerRevealOut,
    CustomerSavedOut,
    EraseIn,
    InvoicingIn,
    InvoicingOut,
    InvoicingRevealOut,
    NoteIn,
    PageQuery,
    PersonalDataOut,
    PurposeIn,
)
from salesdesk.customers.selectors import CustomerFilters, masked_contact
from salesdesk.customers.services.exporting import EXPORT_HEADERS, customers_export
from salesdesk.customers.services.privacy import REVEALABLE, invoicing_reveal
from salesdesk.customers.workflow import STAGES

router = Router(tags=["customers"])

CREATE_SCOPE = "customers.create"
ITEM = "/customers/{int:customer_id}"


def _customer(request, customer_id: int) -> Customer:
    return selectors.customer_get(user=request.user, customer_id=customer_id)


def _filters(query: CustomerQuery) -> CustomerFilters:
    return CustomerFilters(
        **query.dict(include={f.name for f in dataclass_fields(CustomerFilters)})
    )


def _saved(customer: Customer, warnings: list[dict]) -> Customer:
    # The duplicate warnings the caller acknowledged travel with the saved record once.
    customer.warnings = warnings
    return customer


@router.get("/customers", response=CustomerPageOut, summary="Customers I may see")
def customer_list_api(request, query: Query[CustomerListQuery]):
    customers = selectors.customer_list(user=request.user, filters=_filters(query), sort=query.sort)
    page = customers.prefetch_related("contacts")[query.offset : query.offset + query.limit]
    return {"count": customers.count(), "items": list(page)}


@router.get(
    "/customers/export",
    summary="Export the filtered list (XLSX or CSV, personal data masked)",
    openapi_extra={"responses": {200: {"description": "An XLSX or CSV file."}}},
)
def customer_export_api(request, query: Query[CustomerExportQuery]):
    filters = _filters(query)
    customers = selectors.customer_list(user=request.user, filters=filters, sort=query.sort)
    rows = customers_export(
        actor=request.user, customers=customers, filters=filters.as_dict(), fmt=query.format
    )
    filename = f"customers-{timezone.localdate():%Y%m%d}"
    if query.format == "csv":
        return csv_response(filename, EXPORT_HEADERS, rows)
    return xlsx_response(filename, EXPORT_HEADERS, rows, sheet=_("Customers"))


@router.post(
    "/customers",
    response={201: CustomerSavedOut, 200: CustomerSavedOut},
    summary="Create a customer (honours Idempotency-Key; a replay answers 200)",
)
def customer_create_api(request, payload: CustomerCreateIn):
    data = payload.dict(exclude={"contacts", "acknowledge_warnings"}, exclude_unset=True)
    contacts = [contact.dict(exclude_unset=True) for contact in payload.contacts]
    warnings: list[dict] = []

    def create() -> Customer:
        saved = services.customer_create(
            actor=request.user,
            data=data,
            contacts=contacts,
            acknowledge_warnings=payload.acknowledge_warnings,
        )
        warnings[:] = saved.warnings
        return saved.customer

    customer, replayed = idempotent_create(
        request,
        CREATE_SCOPE,
        payload.model_dump(mode="json"),
        create=create,
        load=lambda pk: _customer(request, pk),
    )
    if replayed:
        return Status(200, _saved(customer, []))
    return Status(201, _saved(customer, warnings))


@router.get(ITEM, response=CustomerOut, summary="One customer")
def customer_get_api(request, customer_id: int):
    return _customer(request, customer_id)


@router.patch(ITEM, response=CustomerSavedOut, summary="Change some of a customer's fields")
def customer_update_api(request, customer_id: int, payload: CustomerPatchIn):
    data = payload.dict(exclude={"acknowledge_warnings"}, exclude_unset=True)
    if data.get("owner") is None:
        data.pop("owner", None)  # null is "keep the owner", not "give it to me"
    saved = services.customer_update(
        actor=request.user,
        customer_id=customer_id,
        data=data,
        acknowledge_warnings=payload.acknowledge_warnings,
    )
    return _saved(saved.customer, saved.warnings)


def _transition_api(action: str):
    def transition_api(request, customer_id: int, payload: NoteIn | None = None):
        services.customer_transition(
            actor=request.user,
            customer_id=customer_id,
            action=action,
            note=payload.note if payload else "",
        )
        return _customer(request, customer_id)

    transition_api.__name__ = f"customer_{action.replace('-', '_')}_api"
    return transition_api


for _transition in STAGES.transitions:
    router.add_api_operation(
        f"{ITEM}/{_transition.path}",
        ["POST"],
        _transition_api(_transition.path),
        response=CustomerOut,
        summary=f"Stage action: {_transition.path}",
    )


@router.post(f"{ITEM}/verify", response=CustomerOut, summary="Confirm the data is up to date")
def customer_verify_api(request, customer_id: int, payload: NoteIn | None = None):
    services.customer_verify(
        actor=request.user, customer_id=customer_id, note=payload.note if payload else ""
    )
    return _customer(request, customer_id)


@router.post(f"{ITEM}/reveal", response=CustomerRevealOut, summary="Reveal all its contacts")
def customer_reveal_api(request, customer_id: int, payload: PurposeIn):
    customer = _customer(request, customer_id)
    if not can_reveal(request.user, customer):
        raise PermissionDenied(_("You may not reveal personal data."))
    with transaction.atomic():
        revealed = [
            {
                "contact_id": contact.pk,
                **services.contact_reveal(
                    actor=request.user, contact_id=contact.pk, purpose=payload.purpose
                ),
            }
            for contact in customer.contacts.filter(erased_at__isnull=True)
        ]
    return {"customer_id": customer.pk, "contacts": revealed}


add_events_route(router, "/customers", _customer)


@router.get(f"{ITEM}/access-log", response=list[AccessLogOut], summary="Who saw its personal data")
def customer_access_log_api(request, customer_id: int, page: Query[PageQuery]):
    customer = _customer(request, customer_id)
    user = request.user
    if not (
        user.has_perm("customers.view_team_customers") or user.has_perm("audit.view_accesslog")
    ):
        raise PermissionDenied(_("You may not read the access log."))
    subjects = [*customer.contacts.all(), *InvoicingDetails.objects.filter(customer=customer)]
    if not subjects:
        return []
    logs = reduce(or_, (access_log_for(subject) for subject in subjects))
    logs = logs.select_related("actor", "content_type").order_by("-created_at", "-id")
    return list(logs[page.offset : page.offset + page.limit])


def _contact(request, customer_id: int, contact_id: int) -> Contact:
    contact = _customer(request, customer_id).contacts.filter(pk=contact_id).first()
    if contact is None:
        raise NotFound(_("No such contact."))
    return contact


@router.get(f"{ITEM}/contacts", response=list[ContactOut], summary="Its contacts (masked)")
def contact_list_api(request, customer_id: int):
    return selectors.contact_list(user=request.user, customer=_customer(request, customer_id))


@router.post(f"{ITEM}/contacts", response={201: ContactOut}, summary="Add a contact")
def contact_add_api(request, customer_id: int, payload: ContactIn):
    contact = services.contact_add(
        actor=request.user, customer_id=customer_id, data=payload.dict(exclude_unset=True)
    )
    return Status(201, masked_contact(contact))


CONTACT = f"{ITEM}/contacts/{{int:contact_id}}"


@router.patch(CONTACT, response=ContactOut, summary="Change a contact")
def contact_update_api(request, customer_id: int, contact_id: int, payload: ContactIn):
    _contact(request, customer_id, contact_id)
    contact = services.contact_update(
        actor=request.user, contact_id=contact_id, data=payload.dict(exclude_unset=True)
    )
    return masked_contact(contact)


@router.post(f"{CONTACT}/deactivate", response=ContactOut, summary="The person left")
def contact_deactivate_api(
    request, customer_id: int, contact_id: int, payload: NoteIn | None = None
):
    _contact(request, customer_id, contact_id)
    contact = services.contact_deactivate(
        actor=request.user, contact_id=contact_id, note=payload.note if payload else ""
    )
    return masked_contact(contact)


@router.post(f"{CONTACT}/reveal", response=ContactRevealOut, summary="Reveal a contact (logged)")
def contact_reveal_api(request, customer_id: int, contact_id: int, payload: ContactRevealIn):
    _contact(request, customer_id, contact_id)
    fields = tuple(payload.fields) if payload.fields else REVEALABLE
    values = services.contact_reveal(
        actor=request.user, contact_id=contact_id, purpose=payload.purpose, fields=fields
    )
    return {"contact_id": contact_id, **values}


@router.post(f"{CONTACT}/export", response=PersonalDataOut, summary="Export a person's data")
def contact_export_api(request, customer_id: int, contact_id: int, payload: PurposeIn):
    _contact(request, customer_id, contact_id)
    return services.contact_export_personal_data(
        actor=request.user, contact_id=contact_id, purpose=payload.purpose
    )


@router.post(f"{CONTACT}/erase", response=ContactOut, summary="Erase a person's data")
def contact_erase_api(request, customer_id: int, contact_id: int, payload: EraseIn):
    _contact(request, customer_id, contact_id)
    contact = services.contact_erase(
        actor=request.user, contact_id=contact_id, reason=payload.reason
    )
    return masked_contact(contact)


@router.get(f"{ITEM}/addresses", response=list[AddressOut], summary="Its ship-to addresses")
def address_list_api(request, customer_id: int):
    return list(_customer(request, customer_id).addresses.all())


@router.post(f"{ITEM}/addresses", response={201: AddressOut}, summary="Add a ship-to address")
def address_add_api(request, customer_id: int, payload: AddressIn):
    address = services.address_add(
        actor=request.user, customer_id=customer_id, data=payload.dict(exclude_unset=True)
    )
    return Status(201, address)


@router.patch(
    f"{ITEM}/addresses/{{int:address_id}}", response=AddressOut, summary="Change an address"
)
def address_update_api(request, customer_id: int, address_id: int, payload: AddressPatchIn):
    customer = _customer(request, customer_id)
    if not ShipToAddress.objects.filter(pk=address_id, customer=customer).exists():
        raise NotFound(_("No such address."))
    return services.address_update(
        actor=request.user, address_id=address_id, data=payload.dict(exclude_unset=True)
    )


@router.get(f"{ITEM}/invoicing", response=InvoicingOut, summary="Invoicing details (masked)")
def invoicing_get_api(request, customer_id: int):
    details = InvoicingDetails.objects.filter(customer=_customer(request, customer_id)).first()
    if details is None:
        raise NotFound(_("No invoicing details."))
    return details


@router.put(f"{ITEM}/invoicing", response=InvoicingOut, summary="Set the invoicing details")
def invoicing_set_api(request, customer_id: int, payload: InvoicingIn):
    return services.invoicing_set(actor=request.user, customer_id=customer_id, data=payload.dict())


@router.post(
    f"{ITEM}/invoicing/reveal", response=InvoicingRevealOut, summary="Reveal the bank account"
)
def invoicing_reveal_api(request, customer_id: int, payload: PurposeIn):
    account = invoicing_reveal(actor=request.user, customer_id=customer_id, purpose=payload.purpose)
    return {"bank_account": account}
