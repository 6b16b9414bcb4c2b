"""Contract types and their HTML templates, kept by legal; a template is saved only if it
renders on sample data (K1.1)."""

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.contracts.models import ContractType
from salesdesk.contracts.services.drafting import render_template, template_context
from salesdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from salesdesk.customers.models import Customer

SAMPLE_AMOUNT = Decimal("11300.00")


def sample_context() -> dict:
    """Made-up parties and goods that exercise every placeholder a template may use."""
    customer = Customer(
        code="C-SAMPLE",
        legal_name=str(_("Sample Customer Co., Ltd.")),
        short_name=str(_("Sample Customer")),
        tax_id="91350100MA2XXXXX0X",
        city=str(_("Sample City")),
        street=str(_("1 Sample Road")),
    )
    context = template_context(
        customer,
        [],
        amount=SAMPLE_AMOUNT,
        payment_terms="net_30",
        start_date=timezone.localdate(),
        end_date=timezone.localdate().replace(month=12, day=31),
    )
    product = SimpleNamespace(name=str(_("Sample product")), spec="6204-2RS", unit=str(_("pcs")))
    context["lines"] = [
        SimpleNamespace(
            product=product,
            quantity=Decimal("500"),
            unit_price=Decimal("20.0000"),
            net_amount=Decimal("10000.00"),
            tax_amount=Decimal("1300.00"),
            gross_amount=SAMPLE_AMOUNT,
        )
    ]
    context["delivery_date"] = timezone.localdate()
    return context


def template_preview(template: str) -> str:
    """The template rendered on sample data, or ValidationFailed naming the error."""
    if not (template or "").strip():
        raise ValidationFailed.from_fields(
            _("Please correct the marked fields."), {"template": [_("This field is required.")]}
        )
    try:
        return render_template(ContractType(template=template), sample_context())
    except ValidationFailed:
        raise
    except Exception as exc:  # errors that only show while rendering (unknown includes …)
        raise ValidationFailed(
            _("The contract template has an error: %(error)s") % {"error": exc},
            extra={"field": "template"},
        ) from None


def _clean(data: dict) -> dict:
    cleaned = {
        "name": str(data.get("name") or "").strip()[:100],
        "template": str(data.get("template") or ""),
        "is_active": bool(data.get("is_active", True)),
    }
    if not cleaned["name"]:
        raise ValidationFailed.from_fields(
            _("Please correct the marked fields."), {"name": [_("This field is required.")]}
        )
    template_preview(cleaned["template"])
    return cleaned


def contract_type_update(*, actor: Any, contract_type_id: int, data: dict) -> ContractType:
    """Legal changes a type's name or template; drafts already made keep their text (K1.1)."""
    if not actor.has_perm("contracts.change_contracttype"):
        raise PermissionDenied(_("You may not change contract templates."))
    cleaned = _clean(data)
    with transaction.atomic():
        contract_type = ContractType.objects.select_for_update().filter(pk=contract_type_id).first()
        if contract_type is None:
            raise NotFound(_("No such contract type."))
        changed = sorted(k for k, v in cleaned.items() if getattr(contract_type, k) != v)
        for name, value in cleaned.items():
            setattr(contract_type, name, value)
        contract_type.save()
        event_record(
            actor=actor,
            verb="contract_type.changed",
            subject=contract_type,
            data={"fields": changed},
        )
    return contract_type
