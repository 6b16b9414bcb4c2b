"""Carrier choice by policy and booking with a valid transport contract (S2.1–S2.3)."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from salesdesk.core import policies
from salesdesk.core.errors import Conflict, ValidationFailed
from salesdesk.core.workflow import apply_transition, check_transition
from salesdesk.shipping.models import Carrier, CarrierPreference, Mode, Shipment
from salesdesk.shipping.services.preparation import shipment_locked
from salesdesk.shipping.workflow import SHIPMENT


@dataclass
class Suggestion:
    carrier: Carrier | None
    reason: str
    cost: Any = None


def has_valid_agreement(carrier: Carrier, on: date) -> bool:
    return carrier.agreements.filter(valid_from__lte=on, valid_until__gte=on).exists()


def _serves(carrier: Carrier, province: str, mode: str) -> bool:
    areas = carrier.service_areas or []
    return (not areas or province in areas) and (not mode or mode in (carrier.modes or []))


def carrier_suggest(shipment: Shipment, mode: str = "") -> Suggestion:
    """The customer's preferred carrier, else the cheapest or fastest by policy (S2.1)."""
    today = timezone.localdate()
    province = shipment.ship_to.province if shipment.ship_to else shipment.order.customer.province
    preference = CarrierPreference.objects.filter(customer=shipment.order.customer).first()
    if (
        preference
        and preference.carrier.is_active
        and has_valid_agreement(preference.carrier, today)
    ):
        return Suggestion(preference.carrier, _("The customer's preferred carrier."))
    weight = shipment.gross_weight or 0
    candidates = [
        c
        for c in Carrier.objects.filter(is_active=True)
        if has_valid_agreement(c, today) and _serves(c, province, mode)
    ]
    if not candidates:
        return Suggestion(
            None,
            _("No active carrier with a valid agreement serves %(area)s.")
            % {"area": province or _("this address")},
        )
    rule = policies.value("shipping.carrier_rule")
    if rule == "fastest":
        best = min(candidates, key=lambda c: (c.transit_days, c.base_rate + c.rate_per_kg * weight))
        reason = _("Fastest: %(days)s days in transit (policy shipping.carrier_rule).") % {
            "days": best.transit_days
        }
    else:
        best = min(candidates, key=lambda c: (c.base_rate + c.rate_per_kg * weight, c.transit_days))
        reason = _("Cheapest: about %(cost)s for %(kg)s kg (policy shipping.carrier_rule).") % {
            "cost": best.base_rate + best.rate_per_kg * weight,
            "kg": weight,
        }
    return Suggestion(best, reason, best.base_rate + best.rate_per_kg * weight)


def _day(value: Any, field: str) -> date:
    day = value if isinstance(value, date) else parse_date(str(value or ""))
    if day is None:
        raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), extra={"field": field})
    return day


def shipment_book(
    *,
    actor: Any,
    shipment_id: int,
    carrier_id: int,
    mode: str,
    planned_ship_date: Any,
    promised_delivery_date: Any = None,
) -> Shipment:
    """Book a carrier with a valid agreement, ship date, mode and promised delivery (S2.3)."""
    if mode not in Mode.values:
        raise ValidationFailed(_("Choose a transport mode."), extra={"field": "mode"})
    ship_on = _day(planned_ship_date, "planned_ship_date")
    if ship_on < timezone.localdate():
        raise ValidationFailed(
            _("The ship date must not be in the past."), extra={"field": "planned_ship_date"}
        )
    with transaction.atomic():
        shipment = shipment_locked(actor, shipment_id)
        check_transition(SHIPMENT, shipment, "book", actor)
        carrier = Carrier.objects.filter(pk=carrier_id, is_active=True).first()
        if carrier is None:
            raise ValidationFailed(_("Choose an active carrier."), extra={"field": "carrier"})
        if not has_valid_agreement(carrier, ship_on):
            raise Conflict(
                _("The agreement with %(carrier)s is not valid on %(day)s.")
                % {"carrier": carrier, "day": ship_on},
                code="agreement_expired",
                extra={"field": "carrier"},
            )
        eta = (
            _day(promised_delivery_date, "promised_delivery_date")
            if promised_delivery_date
            else ship_on + timedelta(days=carrier.transit_days)
        )
        if eta < ship_on:
            raise ValidationFailed(
                _("Delivery cannot come before dispatch."),
                extra={"field": "promised_delivery_date"},
            )
        return apply_transition(
            shipment,
            "book",
            workflow=SHIPMENT,
            actor=actor,
            data={"carrier": carrier.code, "mode": mode, "eta": eta.isoformat()},
            changes={
                "carrier": carrier,
                "mode": mode,
                "planned_ship_date": ship_on,
                "promised_delivery_date": eta,
            },
        )
