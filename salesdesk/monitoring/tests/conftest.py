"""Monitoring fixtures: small data for each indicator, made with the ORM or the real services."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.contracts.models import Contract, ContractStatus, ContractType
from salesdesk.core.policies import policy_set
from salesdesk.customers.models import Customer
from salesdesk.finance.tests.conftest import approve, imported_invoice, set_status  # noqa: F401
from salesdesk.monitoring.indicators import indicator
from salesdesk.monitoring.services import indicator_run
from salesdesk.orders.tests.conftest import customer, make_order, products  # noqa: F401

_serial = count(1)


@pytest.fixture
def management(db):
    return UserFactory(username="management1", roles=["management"])


@pytest.fixture
def set_policy(it_admin):
    def run(key: str, value) -> None:
        policy_set(key=key, raw_value=value, actor=it_admin)

    return run


@pytest.fixture
def run(system_user):
    """Run one indicator as the scheduler does; returns its RunResult."""

    def go(code: str, now=None):
        return indicator_run(indicator=indicator(code), actor=system_user, now=now)

    return go


@pytest.fixture
def utilised(customer, make_order, approve):  # noqa: F811
    """An approved order of gross 226.00 for a customer whose limit is 250.00: 90.4 %."""
    approve(make_order())
    Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("250"))
    customer.refresh_from_db()
    return customer


def overdue_invoice(customer, actor, *, gross: str, days: int):  # noqa: F811
    today = timezone.localdate()
    return imported_invoice(
        customer,
        gross=gross,
        issued=today - timedelta(days=days + 30),
        due=today - timedelta(days=days),
        actor=actor,
    )


def contract_ending(customer, drafter, *, days: int, status=ContractStatus.ACTIVE):  # noqa: F811
    kind, _created = ContractType.objects.get_or_create(
        code="sales", defaults={"name": "銷售合同", "template": "x"}
    )
    return Contract.objects.create(
        number=f"CT-TEST-{next(_serial):04d}",
        contract_type=kind,
        customer=customer,
        title="年度供貨合同",
        body="x",
        status=status,
        end_date=timezone.localdate() + timedelta(days=days),
        drafter=drafter,
    )


def failed_login(username: str, address: str, failures: int) -> AccessAttempt:
    return AccessAttempt.objects.create(
        username=username,
        ip_address=address,
        user_agent=f"agent-{next(_serial)}",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=failures,
    )


def make_warning(*, status="open", level="warning", owner=None, owner_role="", **extra):
    from salesdesk.monitoring.models import EarlyWarning

    now = timezone.now()
    data = {
        "indicator": "credit_utilisation",
        "subject_key": f"customer:{next(_serial)}",
        "subject_label": "CU-TEST 測試客戶",
        "level": level,
        "status": status,
        "value": Decimal("90.4"),
        "threshold": Decimal("80"),
        "trend": [[now.isoformat(), "85.0"], [now.isoformat(), "90.4"]],
        "first_seen_at": now,
        "last_seen_at": now,
        "due_at": now + timedelta(hours=72),
        "owner": owner,
        "owner_role": owner_role,
        "closed_at": now if status == "closed" else None,
        **extra,
    }
    return EarlyWarning.objects.create(**data)
