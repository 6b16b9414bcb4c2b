"""The data-security checks (R2.4, R3.1, C3.3): failed logins and personal-data reads.

Both belong to the IT administrators (role `admin`). Failed logins come from django-axes:
its failure log when `AXES_ENABLE_ACCESS_FAILURE_LOG` is on (exact counts per hour),
otherwise its attempt rows (failures of a username/address pair whose last failure fell
in the hour). Personal-data reads are the access log: every reveal and every exported
contact writes one row.
"""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode

from salesdesk.accounts.models import User
from salesdesk.audit.models import AccessLog
from salesdesk.monitoring.indicators import CheckContext, Observation

IT_ROLE = "admin"
LOGIN_WINDOW = timedelta(hours=1)
ACCESS_WINDOW = timedelta(days=1)


def _failures_since(since) -> tuple[Counter, Counter]:
    by_user: Counter = Counter()
    by_address: Counter = Counter()
    if getattr(settings, "AXES_ENABLE_ACCESS_FAILURE_LOG", False):
        for username, address in AccessFailureLog.objects.filter(
            attempt_time__gte=since
        ).values_list("username", "ip_address"):
            by_user[username or ""] += 1
            by_address[address or ""] += 1
    else:
        for username, address, failures in AccessAttempt.objects.filter(
            attempt_time__gte=since
        ).values_list("username", "ip_address", "failures_since_start"):
            by_user[username or ""] += failures
            by_address[address or ""] += failures
    by_user.pop("", None)
    by_address.pop("", None)
    return by_user, by_address


def failed_logins(context: CheckContext) -> list[Observation]:
    """Failed sign-ins in the last hour, per username and per network address."""
    by_user, by_address = _failures_since(context.now - LOGIN_WINDOW)
    result = [
        Observation(
            subject_key=f"username:{username}"[:120],
            subject_label=str(username)[:200],
            value=Decimal(count),
            owner_role=IT_ROLE,
        )
        for username, count in by_user.items()
    ]
    result += [
        Observation(
            subject_key=f"ip:{address}",
            subject_label=str(address),
            value=Decimal(count),
            owner_role=IT_ROLE,
        )
        for address, count in by_address.items()
    ]
    return result


def personal_data_reads(context: CheckContext) -> list[Observation]:
    """Personal-data reveals and exported contacts per user in the last 24 hours (C3.3)."""
    rows = (
        AccessLog.objects.filter(created_at__gte=context.now - ACCESS_WINDOW)
        .values("actor_id")
        .annotate(reads=Count("pk"))
        .order_by()
    )
    counts = {row["actor_id"]: row["reads"] for row in rows}
    users = User.objects.filter(pk__in=list(counts), is_system=False)
    return [
        Observation(
            subject_key=f"user:{user.pk}",
            subject_label=user.get_full_name() or user.username,
            value=Decimal(counts[user.pk]),
            subject=user,
            url=f"{reverse('audit:access_log')}?{urlencode({'actor': user.username})}",
            owner_role=IT_ROLE,
        )
        for user in users
    ]
