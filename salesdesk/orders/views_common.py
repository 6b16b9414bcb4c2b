"""Helpers the order pages share: visibility as 404, who may change, errors onto forms, the
line grid's context and the server-side totals (O1.3, U2, U3)."""

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from salesdesk.catalog.models import Product
from salesdesk.core.errors import DomainError, NotFound, ValidationFailed
from salesdesk.core.money import amount_in_words, document_totals
from salesdesk.orders.forms import LINE_FIELDS, grid, line_errors, service_lines
from salesdesk.orders.inputs import clean_header, clean_lines
from salesdesk.orders.models import Order, OrderStatus
from salesdesk.orders.policies import can_work_on
from salesdesk.orders.selectors import order_get

PRODUCT_CHOICES = 5000
STATUS_BADGES = {
    OrderStatus.ON_HOLD: "badge-danger",
    OrderStatus.UNDER_REVIEW: "badge-warn",
    OrderStatus.APPROVED: "badge-ok",
    OrderStatus.IN_FULFILLMENT: "badge-ok",
    OrderStatus.REJECTED: "badge-danger",
}


def order_or_404(user: Any, order_id: int) -> Order:
    """The order if `user` may see it; otherwise the page does not exist for them."""
    try:
        return order_get(user=user, order_id=order_id)
    except NotFound:
        raise Http404 from None


def can_change(user: Any, order: Order) -> bool:
    """Shows the forms the order services would accept from this user (they decide again)."""
    return user.has_perm("orders.change_order") and can_work_on(user, order)


def words_variant() -> str:
    """大寫 in the script of the active language: simplified for zh-hans, else traditional."""
    return "hans" if (get_language() or "").lower().startswith("zh-hans") else "hant"


def amount_words(amount: Decimal) -> str:
    return amount_in_words(amount, words_variant())


def apply_errors(form, error: DomainError) -> None:
    """Show a refusal next to the fields it names, or above the form."""
    fields = error.extra.get("fields") or {error.field or "": [error.message]}
    for name, messages in fields.items():
        if name == "lines" or name.startswith("lines."):
            continue
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, str(message))


def check_order_input(header: dict, lines: list[dict]) -> dict[str, list]:
    """Every problem the intake rules find in the head and the lines at once (O1.3)."""
    fields: dict[str, list] = {}
    include_tax = str(header.get("prices_include_tax", "")).lower() in {"1", "true", "on", "yes"}
    for check in (
        lambda: clean_header(header),
        lambda: clean_lines(lines, prices_include_tax=include_tax),
    ):
        try:
            check()
        except ValidationFailed as exc:
            fields.update(exc.extra.get("fields") or {exc.field or "": [str(exc.message)]})
    return fields


def totals_preview(
    rows: list[dict[str, str]], *, prices_include_tax: bool, customer: Any = None
) -> dict[str, Any]:
    """Line amounts and totals computed by the order rules, never by the browser (U3)."""
    if not rows:
        return {}
    try:
        cleaned = clean_lines(
            service_lines(rows), prices_include_tax=prices_include_tax, customer=customer
        )
    except ValidationFailed as exc:
        return {"problems": problem_list(exc.extra.get("fields") or {"": [exc.message]})}
    net, tax, gross = document_totals(
        SimpleNamespace(net=line["net_amount"], tax=line["tax_amount"], gross=line["gross_amount"])
        for line in cleaned
    )
    return {"lines": cleaned, "net": net, "tax": tax, "gross": gross, "words": amount_words(gross)}


def problem_list(fields: dict[str, list]) -> list[str]:
    problems = []
    for index, cells in sorted(line_errors(fields).items()):
        for messages in cells.values():
            problems += [
                _("Line %(n)s: %(message)s") % {"n": index, "message": m} for m in messages
            ]
    for name, messages in fields.items():
        if not name.startswith("lines."):
            problems += [str(m) for m in messages]
    return problems


def grid_context(rows: list[dict[str, str]], fields: dict[str, list], size: int) -> dict[str, Any]:
    """The line grid: rows with their cell errors and products, the row template, the SKUs."""
    shown = grid(rows, line_errors(fields), size)
    skus = {row["sku"].strip().upper() for row in rows if row["sku"].strip()}
    known = {p.sku: p for p in Product.objects.filter(sku__in=skus)}
    for row in shown:
        row["product"] = known.get(row["cells"][0]["value"].strip().upper())
    return {
        "grid_rows": shown,
        "grid_errors": [str(m) for m in fields.get("lines", [])],
        "template_row": grid([], {}, 1)[0] | {"index": "__N__"},
        "line_fields": LINE_FIELDS,
        "products": Product.objects.filter(is_active=True)
        .order_by("sku")
        .values_list("sku", "name")[:PRODUCT_CHOICES],
    }


def plain(value: Any) -> str:
    """A stored Decimal as the shortest text ("10.000" → "10"); dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text == "-0" else text
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def order_rows(order: Order) -> list[dict[str, str]]:
    """The order's active lines as grid rows (draft edit, change request)."""
    return [
        {
            "sku": line.product.sku,
            "quantity": plain(line.quantity),
            "unit_price": plain(line.unit_price),
            "discount_rate": plain(line.discount_rate),
            "tax_rate": plain(line.tax_rate),
            "requested_date": plain(line.requested_date),
        }
        for line in order.lines.filter(is_cancelled=False).select_related("product")
    ]
