"""Who sees whose training record and career plan (T1.1, T3.1): everybody their own; a
manager their direct reports; holders of view_team_training their department; holders of
view_all_training (management, the supervision group) everyone."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q


def persons_visible_to(user: Any) -> Q:
    """A Q over users whose records `user` may see."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    if user.has_perm("training.view_all_training"):
        return Q()
    visible = Q(pk=user.pk) | Q(manager=user)
    if user.has_perm("training.view_team_training") and user.department_id:
        visible |= Q(department_id=user.department_id)
    return visible


def can_see_person(user: Any, person: Any) -> bool:
    return get_user_model().objects.filter(persons_visible_to(user), pk=person.pk).exists()


def can_manage_training(user: Any) -> bool:
    if user is None or not user.is_active:
        return False
    return bool(getattr(user, "is_system", False) or user.has_perm("training.manage_training"))


def can_manage_plan(user: Any, person: Any) -> bool:
    """Managers edit the plans of people they may see, never their own (unless view_all)."""
    if not (user and user.is_active and user.has_perm("training.manage_careerplan")):
        return False
    if person.pk == user.pk and not user.has_perm("training.view_all_training"):
        return False
    return can_see_person(user, person)
