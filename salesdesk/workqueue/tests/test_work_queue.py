"""The work queue: items per person, overdue first, on the home page and the API (U5)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from salesdesk.workqueue import registry
from salesdesk.workqueue.registry import WorkItem


@pytest.fixture
def sample_provider():
    now = timezone.now()

    def items(user):
        if user.username != "sales1":
            return []
        return [
            WorkItem("later", "Call back 王先生", "/later", "Customer", now + timedelta(days=2)),
            WorkItem("undated", "Read the procedure", "/proc", "Training"),
            WorkItem("late", "Confirm verbal order", "/late", "Order", now - timedelta(hours=3)),
            WorkItem("soon", "Review contract", "/soon", "Contract", now + timedelta(hours=1)),
        ]

    key = f"{items.__module__}.{items.__qualname__}"
    registry.provider(items)
    yield items
    registry._PROVIDERS.pop(key)


def test_items_sorted_overdue_first_then_due_then_undated(salesperson, sample_provider):
    keys = [item.key for item in registry.items_for(salesperson)]
    assert keys == ["late", "soon", "later", "undated"]


def test_items_are_per_user(other_salesperson, sample_provider):
    assert registry.items_for(other_salesperson) == []


def test_anonymous_has_no_items(sample_provider):
    from django.contrib.auth.models import AnonymousUser

    assert registry.items_for(AnonymousUser()) == []


def test_work_api(client, salesperson, sample_provider):
    client.force_login(salesperson)
    body = client.get("/api/v1/work").json()
    assert [item["key"] for item in body] == ["late", "soon", "later", "undated"]
    assert [item["overdue"] for item in body] == [True, False, False, False]
    overdue = client.get("/api/v1/work?overdue=true").json()
    assert [item["key"] for item in overdue] == ["late"]


def test_work_api_needs_auth(client, db):
    assert client.get("/api/v1/work").status_code == 401


def test_home_page_lists_items_and_counts(client, salesperson, sample_provider):
    client.force_login(salesperson)
    html = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert html.index("Confirm verbal order") < html.index("Review contract")
    assert 'class="overdue"' in html
    assert 'id="stat-overdue">1<' in html
    partial = client.get("/?overdue=1", headers={"hx-request": "true"}).content.decode()
    assert "Confirm verbal order" in partial and "Review contract" not in partial
    assert "<html" not in partial
