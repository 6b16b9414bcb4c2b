"""Draft a contract from a template and a customer's orders, or as a supplementary
agreement to an active contract, and edit a draft's terms and text (K1.1, K3.1)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from salesdesk.contracts.forms import ContractDraftForm, ContractEditForm
from salesdesk.contracts.models import Contract, ContractStatus, ContractType
from salesdesk.contracts.policies import can_draft
from salesdesk.contracts.selectors import contract_list
from salesdesk.contracts.services import contract_draft, contract_update
from salesdesk.contracts.views_common import apply_errors, contract_or_404
from salesdesk.core.errors import DomainError, NotFound
from salesdesk.customers.selectors import CustomerFilters, customer_get, customer_list
from salesdesk.orders.models import OrderStatus
from salesdesk.orders.rules import payment_term_label
from salesdesk.orders.selectors import order_list

CUSTOMER_CHOICES = 500
ORDER_CHOICES = 100
NOT_LINKABLE = (OrderStatus.CANCELLED, OrderStatus.REJECTED)
SUPPLEMENT_TYPE = "supplement"


def _customer_choices(user: Any, selected: int | None) -> list[tuple[str, str]]:
    customers = customer_list(user=user, filters=CustomerFilters(), sort="name")
    choices = [(str(c.pk), f"{c.code} {c.legal_name}") for c in customers[:CUSTOMER_CHOICES]]
    if selected and str(selected) not in dict(choices):
        try:
            chosen = customer_get(user=user, customer_id=selected)
        except NotFound:
            return choices
        choices.insert(0, (str(chosen.pk), f"{chosen.code} {chosen.legal_name}"))
    return choices


def _order_choices(user: Any, customer_id: int | None) -> list[tuple[str, str]]:
    """The customer's orders the user may link (not cancelled or rejected)."""
    if not customer_id:
        return []
    orders = order_list(user=user, customer_id=customer_id).exclude(status__in=NOT_LINKABLE)
    return [
        (
            str(o.pk),
            f"{o.number} · {o.get_status_display()} · {o.gross_amount:,.2f} {o.currency}"
            f" · {payment_term_label(o.payment_terms)}",
        )
        for o in orders[:ORDER_CHOICES]
    ]


def _type_choices() -> list[tuple[str, str]]:
    return [(str(t.pk), t.name) for t in ContractType.objects.filter(is_active=True)]


def _draft_form(user: Any, data=None, initial=None) -> ContractDraftForm:
    source = data if data is not None else initial
    customer = str(source.get("customer") or "")
    customer_id = int(customer) if customer.isdigit() else None
    return ContractDraftForm(
        data,
        initial=initial,
        types=_type_choices(),
        customers=_customer_choices(user, customer_id),
        orders=_order_choices(user, customer_id),
    )


def _initial(request) -> tuple[dict[str, Any], Contract | None]:
    """From `?parent=` (a supplement to an active contract) or `?customer=&order=`."""
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():
        parent = contract_or_404(request.user, int(parent_id))
        supplement = ContractType.objects.filter(code=SUPPLEMENT_TYPE, is_active=True).first()
        return {
            "parent": parent.pk,
            "customer": parent.customer_id,
            "contract_type": supplement.pk if supplement else parent.contract_type_id,
            "title": _("Supplementary agreement to %(n)s") % {"n": parent.number},
            "payment_terms": parent.payment_terms,
            "end_date": parent.end_date.isoformat() if parent.end_date else "",
            "amount": "0",
        }, parent
    initial: dict[str, Any] = {"customer": request.GET.get("customer", "")}
    order = request.GET.get("order", "")
    if order.isdigit():
        initial["orders"] = [order]
    return initial, None


def _visible_parent(user: Any, parent_id: int | None) -> Contract | None:
    if parent_id is None:
        return None
    return contract_list(user=user).filter(pk=parent_id).first()


@login_required
def contract_create_view(request):
    """A new draft prefilled from its template, the customer and the linked orders (K1.1)."""
    if not request.user.has_perm("contracts.draft_contract"):
        raise PageForbidden
    initial, parent = _initial(request)
    if request.method != "POST":
        form = _draft_form(request.user, initial=initial)
        return render(request, "contracts/contract_form.html", {"form": form, "parent": parent})
    form = _draft_form(request.user, data=request.POST)
    form.is_valid()
    try:
        contract = contract_draft(
            actor=request.user,
            contract_type_id=form.number("contract_type"),
            customer_id=form.number("customer"),
            order_ids=form.order_ids(),
            data=form.service_data(),
            parent_id=form.number("parent"),
        )
    except DomainError as exc:
        apply_errors(form, exc)
        context = {"form": form, "parent": _visible_parent(request.user, form.number("parent"))}
        return render(request, "contracts/contract_form.html", context, status=422)
    messages.success(request, _("Contract %(n)s drafted.") % {"n": contract.number})
    return redirect("contracts:detail", contract_id=contract.pk)


@login_required
def draft_orders_view(request):
    """HTMX: the orders of the chosen customer, to link to the draft."""
    if not request.user.has_perm("contracts.draft_contract"):
        raise PageForbidden
    form = _draft_form(request.user, initial={"customer": request.GET.get("customer", "")})
    return render(request, "contracts/partials/draft_orders.html", {"form": form})


def _edit_initial(contract: Contract) -> dict[str, Any]:
    return {
        "title": contract.title,
        "start_date": contract.start_date.isoformat() if contract.start_date else "",
        "end_date": contract.end_date.isoformat() if contract.end_date else "",
        "amount": f"{contract.amount:f}",
        "payment_terms": contract.payment_terms,
        "body": contract.body,
    }


@login_required
def contract_edit_view(request, contract_id: int):
    """Change a draft; a changed text or amount is saved as a new version (K1.1, K3.1)."""
    contract = contract_or_404(request.user, contract_id)
    if contract.status != ContractStatus.DRAFTING or not can_draft(request.user, contract):
        raise PageForbidden
    if request.method != "POST":
        form = ContractEditForm(initial=_edit_initial(contract))
        return render(request, "contracts/contract_edit.html", {"form": form, "contract": contract})
    form = ContractEditForm(request.POST)
    form.is_valid()
    try:
        contract_update(actor=request.user, contract_id=contract.pk, data=form.service_data())
    except DomainError as exc:
        apply_errors(form, exc)
        context = {"form": form, "contract": contract}
        return render(request, "contracts/contract_edit.html", context, status=422)
    messages.success(request, _("Contract saved."))
    return redirect("contracts:detail", contract_id=contract.pk)
