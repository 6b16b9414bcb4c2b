"""Plan a shipment from an order's page: choose lines and quantities up to what is left to
ship, the ship-to address and a planned date (S1.1, U1). Partial shipments are normal."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from salesdesk.core.errors import DomainError, NotFound, ValidationFailed
from salesdesk.orders.models import Order
from salesdesk.shipping.selectors import lines_to_ship, order_for_shipping, order_shippable
from salesdesk.shipping.services import shipment_create


def _order_or_404(user: Any, order_id: int) -> Order:
    try:
        return order_for_shipping(user=user, order_id=order_id)
    except NotFound:
        raise Http404 from None


def _chosen(post, line_ids: list[int]) -> tuple[list[tuple[int, str]], dict[str, str]]:
    """The lines with a quantity typed in, in page order, and what was typed per line."""
    typed = {str(pk): post.get(f"quantity-{pk}", "").strip() for pk in line_ids}
    chosen = [(pk, typed[str(pk)]) for pk in line_ids if typed[str(pk)] not in ("", "0")]
    return chosen, typed


def _line_errors(error: DomainError, chosen: list[tuple[int, str]]) -> dict[str, list[str]]:
    """The service names lines by their place in the request (`lines.2.quantity`)."""
    errors: dict[str, list[str]] = {}
    for name, messages_ in (error.extra.get("fields") or {}).items():
        parts = name.split(".")
        if len(parts) == 3 and parts[1].isdigit() and 0 < int(parts[1]) <= len(chosen):
            errors[str(chosen[int(parts[1]) - 1][0])] = [str(m) for m in messages_]
    return errors


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def _day(text: str) -> date | None:
    try:
        day = parse_date(text) if text else None
    except ValueError:
        day = None
    if text and day is None:
        raise ValidationFailed(
            _("Enter a date as YYYY-MM-DD."), extra={"field": "planned_ship_date"}
        )
    return day


@login_required
def shipment_create_view(request, order_id: int):
    """Choose what leaves in this shipment; never more than is left to ship."""
    order = _order_or_404(request.user, order_id)
    if not request.user.has_perm("shipping.add_shipment"):
        raise PageForbidden
    rows = lines_to_ship(order)
    addresses = order.customer.addresses.filter(is_active=True)
    context: dict[str, Any] = {
        "order": order,
        "shippable": order_shippable(order),
        "addresses": addresses,
        "typed": {str(r.line.pk): _plain(r.remaining) for r in rows if r.remaining > 0},
        "line_errors": {},
        "ship_to": str(next((a.pk for a in addresses if a.is_default), "")),
        "planned_ship_date": "",
    }
    if request.method == "POST":
        chosen, typed = _chosen(request.POST, [r.line.pk for r in rows])
        ship_to = request.POST.get("ship_to", "")
        planned = request.POST.get("planned_ship_date", "").strip()
        try:
            shipment = shipment_create(
                actor=request.user,
                order_id=order.pk,
                lines=chosen,
                ship_to_id=int(ship_to) if ship_to.isdigit() else None,
                planned_ship_date=_day(planned),
            )
        except DomainError as exc:
            context.update(
                error=exc.message,
                line_errors=_line_errors(exc, chosen),
                typed=typed,
                ship_to=ship_to,
                planned_ship_date=planned,
            )
            if "lines" in (exc.extra.get("fields") or {}):
                context["error_detail"] = exc.extra["fields"]["lines"]
            status = exc.status
        else:
            messages.success(request, _("Shipment %(n)s planned.") % {"n": shipment.number})
            return redirect("shipping:detail", shipment_id=shipment.pk)
    else:
        status = 200
    context["rows"] = [
        {
            "row": row,
            "value": context["typed"].get(str(row.line.pk), ""),
            "errors": context["line_errors"].get(str(row.line.pk), []),
        }
        for row in rows
    ]
    return render(request, "shipping/shipment_create.html", context, status=status)
