"""Every write to users and API tokens."""

import hashlib
import secrets
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.models import ApiToken, Department, User
from salesdesk.accounts.roles import ASSIGNABLE_ROLES, SYSTEM_USERNAME
from salesdesk.audit.services import event_record
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

# Callbacks `(user=, roles=, actor=)` run inside the transaction that gives a user roles, e.g.
# training's onboarding (T1.1); registered from AppConfig.ready(), so accounts imports no app.
ROLES_GRANTED: list = []


def register_roles_granted(hook) -> None:
    if hook not in ROLES_GRANTED:
        ROLES_GRANTED.append(hook)


TOKEN_PREFIX = "sd_"  # noqa: S105 (a marker, not a secret)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def system_user() -> User:
    """The named user that background jobs act as (STYLE rule 4)."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_system": True, "first_name": "salesdesk", "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name="system")[0])
    return user


def department_ensure(*, code: str, name: str | None = None) -> Department:
    department, _created = Department.objects.get_or_create(
        code=code, defaults={"name": name or code}
    )
    return department


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed.from_fields(
            _("The password does not meet the rules."), {"password": list(exc.messages)}
        ) from None


def user_create(
    *,
    username: str,
    roles: list[str],
    actor: User,
    password: str | None = None,
    department: Department | None = None,
    manager: User | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    check_password: bool = True,
) -> User:
    """Create a user with roles (admins, the CLI and the demo loader call this)."""
    if not actor.is_system and not actor.has_perm("accounts.add_user"):
        raise PermissionDenied(_("You may not create users."))
    unknown = [r for r in roles if r not in ASSIGNABLE_ROLES]
    if unknown:
        raise ValidationFailed.from_fields(
            _("Unknown role."),
            {"roles": [_("Unknown role: %(role)s") % {"role": r} for r in unknown]},
        )
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(
            _("The username %(username)s is taken.") % {"username": username},
            code="username_taken",
            extra={"field": "username"},
        )
    user = User(
        username=username,
        department=department,
        manager=manager,
        email=email,
        first_name=first_name,
        last_name=last_name,
        # IT admins manage users and keys in Django's admin site; nobody else gets it.
        is_staff="admin" in roles,
    )
    if password and check_password:
        _check_password(password, user)
    with transaction.atomic():
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        event_record(actor=actor, verb="user.created", subject=user, data={"roles": sorted(roles)})
        for hook in ROLES_GRANTED:
            hook(user=user, roles=list(roles), actor=actor)
    return user


def user_roles_granted(*, user: User, roles: list[str], actor: User) -> None:
    """Record that `user` was given these roles (by an IT admin in the admin site) and run
    what a new role starts, e.g. its onboarding programme (T1.1). The caller saved the
    groups; this runs in the same transaction."""
    roles = sorted(set(roles) & set(ASSIGNABLE_ROLES))
    if not roles:
        return
    with transaction.atomic():
        event_record(actor=actor, verb="user.roles_granted", subject=user, data={"roles": roles})
        for hook in ROLES_GRANTED:
            hook(user=user, roles=roles, actor=actor)


def user_set_language(*, user: User, language: str, actor: User) -> User:
    """Remember a user's interface language (U10)."""
    valid = {code for code, _label in User._meta.get_field("language").choices}
    if language and language not in valid:
        raise ValidationFailed(_("Unknown language."), extra={"field": "language"})
    if actor.pk != user.pk:
        raise PermissionDenied(_("You may only change your own language."))
    user.language = language
    user.save(update_fields=["language"])
    return user


def token_create(*, user: User, name: str, actor: User) -> tuple[ApiToken, str]:
    """Issue a bearer token; the raw value is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Give the token a name."), extra={"field": "name"})
    if len(name) > 100:
        raise ValidationFailed(
            _("The name may have at most 100 characters."), extra={"field": "name"}
        )
    if actor.pk != user.pk and not actor.is_system and not actor.has_perm("accounts.change_user"):
        raise PermissionDenied(_("You may not create tokens for other users."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=raw[:8], digest=token_digest(raw)
        )
        event_record(actor=actor, verb="token.created", subject=token, data={"user": user.username})
    return token, raw


def token_revoke(*, token_id: int, actor: User) -> ApiToken:
    """Revoke a token (its owner or an admin); revoked tokens stay listed."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None or (
            token.user_id != actor.pk and not actor.has_perm("accounts.change_user")
        ):
            raise NotFound(_("No such token."))
        if token.revoked_at is not None:
            raise Conflict(_("The token is already revoked."), code="already_revoked")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        event_record(actor=actor, verb="token.revoked", subject=token)
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user behind a raw bearer token, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def describe(user: Any) -> dict:
    return {
        "username": user.username,
        "name": user.get_full_name(),
        "roles": user.role_names,
        "department": user.department.name if user.department_id else None,
        "department_code": user.department.code if user.department_id else None,
        "language": user.language or None,
    }
