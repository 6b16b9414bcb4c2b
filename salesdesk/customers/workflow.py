"""Cooperation stage: potential → intentional → signed, plus dormant and lost (C2.1)."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core.workflow import Transition, Workflow
from salesdesk.customers.models import CustomerStage as S
from salesdesk.customers.policies import can_edit

PERMISSION = "customers.qualify_customer"

STAGES = Workflow(
    name="customer",
    state_field="stage",
    states=S,
    transitions=(
        Transition(
            "qualify",
            (S.POTENTIAL,),
            S.INTENTIONAL,
            PERMISSION,
            "customer.qualified",
            _("Qualify"),
            can_edit,
        ),
        Transition(
            "sign",
            (S.POTENTIAL, S.INTENTIONAL, S.DORMANT),
            S.SIGNED,
            PERMISSION,
            "customer.signed",
            _("Mark signed"),
            can_edit,
        ),
        Transition(
            "mark_dormant",
            (S.SIGNED,),
            S.DORMANT,
            PERMISSION,
            "customer.dormant",
            _("Mark dormant"),
            can_edit,
        ),
        Transition(
            "mark_lost",
            (S.POTENTIAL, S.INTENTIONAL, S.SIGNED, S.DORMANT),
            S.LOST,
            PERMISSION,
            "customer.lost",
            _("Mark lost"),
            can_edit,
        ),
        Transition(
            "reactivate",
            (S.DORMANT, S.LOST),
            S.INTENTIONAL,
            PERMISSION,
            "customer.reactivated",
            _("Reactivate"),
            can_edit,
        ),
    ),
)
