"""Validate order input (O1.3): every error names its field, lines as `lines.N.field`."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from salesdesk.catalog.models import Product
from salesdesk.catalog.pricing import price_quote, price_quotes
from salesdesk.core import policies
from salesdesk.core.money import line_amounts
from salesdesk.customers.inputs import Errors, _choice, _text
from salesdesk.orders.models import Channel

MAX_LINES = 500


def _date(value: Any, field: str, errors: Errors, *, required: bool) -> date | None:
    if value in (None, ""):
        if required:
            errors.add(field, _("This field is required."))
        return None
    try:
        parsed = value if isinstance(value, date) else parse_date(str(value).strip())
    except ValueError:  # well-formed but impossible, e.g. 2027-02-30
        parsed = None
    if parsed is None:
        errors.add(field, _("Enter a date as YYYY-MM-DD."))
        return None
    if parsed < timezone.localdate():
        errors.add(field, _("The date must not be in the past."))
    return parsed


def _decimal(value: Any, field: str, errors: Errors, *, default=None) -> Decimal | None:
    if value in (None, ""):
        if default is None:
            errors.add(field, _("This field is required."))
        return default
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors.add(field, _("Enter a number."))
        return None


def clean_header(data: dict) -> dict:
    errors = Errors()
    terms = str(data.get("payment_terms") or "").strip()
    if not terms:
        errors.add("payment_terms", _("This field is required."))
    elif terms not in policies.value("orders.payment_terms"):
        errors.add("payment_terms", _("Not one of the company's payment terms."))
    cleaned = {
        "channel": _choice(data, "channel", Channel.choices, errors, ""),
        "payment_terms": terms,
        "requested_delivery_date": _date(
            data.get("requested_delivery_date"), "requested_delivery_date", errors, required=True
        ),
        "customer_reference": _text(data, "customer_reference", errors, max_length=60),
        "note": _text(data, "note", errors, max_length=4000),
        "prices_include_tax": str(data.get("prices_include_tax", "")).lower()
        in {"1", "true", "yes", "on"},
    }
    errors.raise_if_any()
    return cleaned


def clean_lines(lines: list[dict], *, prices_include_tax: bool, customer: Any = None) -> list[dict]:
    """Each line against the catalogue: known active product, positive quantity, price ≥ 0.

    A line without a price gets the customer's price-list price of today (O2.2), or the
    product's list price when no customer is given.
    """
    errors = Errors()
    if not lines:
        errors.add("lines", _("An order needs at least one line."))
    if len(lines) > MAX_LINES:
        errors.add("lines", _("At most %(n)s lines.") % {"n": MAX_LINES})
    skus = {str(line.get("product") or line.get("sku") or "").strip().upper() for line in lines}
    products = {p.sku: p for p in Product.objects.filter(sku__in=skus)}
    by_id = {str(p.pk): p for p in products.values()}
    today = timezone.localdate()
    quotes = {}
    if customer is not None:
        quotes = price_quotes(customer=customer, products=products.values(), on=today)
    cleaned = []
    for index, line in enumerate(lines, start=1):
        prefix = f"lines.{index}."
        key = str(line.get("product") or line.get("sku") or "").strip().upper()
        product = products.get(key) or by_id.get(key)
        if product is None:
            if key.isdigit():
                product = Product.objects.filter(pk=int(key)).first()
            if product is None:
                errors.add(prefix + "product", _("Unknown product “%(sku)s”.") % {"sku": key})
                continue
        if not product.is_active:
            errors.add(
                prefix + "product", _("Product %(sku)s is no longer sold.") % {"sku": product.sku}
            )
        quantity = _decimal(line.get("quantity"), prefix + "quantity", errors)
        default_price = product.list_price
        if customer is not None:
            quote = quotes.get(product.pk) or price_quote(
                customer=customer, product=product, on=today
            )
            default_price = quote.price
        price = _decimal(
            line.get("unit_price"), prefix + "unit_price", errors, default=default_price
        )
        discount = _decimal(
            line.get("discount_rate"), prefix + "discount_rate", errors, default=Decimal(0)
        )
        rate = _decimal(line.get("tax_rate"), prefix + "tax_rate", errors, default=product.tax_rate)
        if quantity is not None and quantity <= 0:
            errors.add(prefix + "quantity", _("The quantity must be more than zero."))
        if price is not None and price < 0:
            errors.add(prefix + "unit_price", _("The price must not be below zero."))
        if discount is not None and not Decimal(0) <= discount < 1:
            errors.add(prefix + "discount_rate", _("A discount is a fraction from 0 to 0.99."))
        if rate is not None and not Decimal(0) <= rate < 1:
            errors.add(prefix + "tax_rate", _("A tax rate is a fraction from 0 to 0.99."))
        requested = _date(
            line.get("requested_date"), prefix + "requested_date", errors, required=False
        )
        if errors.fields.keys() & {
            prefix + f for f in ("quantity", "unit_price", "discount_rate", "tax_rate")
        }:
            continue
        amounts = line_amounts(
            quantity=quantity,
            unit_price=price,
            tax_rate=rate,
            discount_rate=discount,
            price_includes_tax=prices_include_tax,
        )
        cleaned.append(
            {
                "line_number": index,
                "product": product,
                "description": str(line.get("description") or "")[:200],
                "quantity": quantity,
                "unit_price": price,
                "discount_rate": discount,
                "tax_rate": rate,
                "net_amount": amounts.net,
                "tax_amount": amounts.tax,
                "gross_amount": amounts.gross,
                "requested_date": requested,
            }
        )
    errors.raise_if_any(_("Please correct the order lines."))
    return cleaned
