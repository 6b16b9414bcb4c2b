"""A sales manager sees the process KPIs of their own team (E2.2, C3.3): values, drill-down,
pages and API count only the facts of the manager, their reports and their reports' reports;
the supervision group still sees everyone; a salesperson sees none."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.core.errors import PermissionDenied
from salesdesk.supervision.selectors_kpis import kpi_drilldown, kpi_people, kpi_read
from salesdesk.supervision.tests.history import at, event, order

pytestmark = [pytest.mark.django_db, pytest.mark.req("E2.2")]
KPI = "verbal_orders_confirmed_on_time"
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}
D = Decimal


@pytest.fixture
def other_team(db):
    lead = UserFactory(username="manager2", roles=["sales_manager"], department__code="sales")
    member = UserFactory(username="sales9", roles=["salesperson"], manager=lead)
    return lead, member


@pytest.fixture
def verbal_orders(customer, salesperson, other_salesperson, other_team):
    """On time (sales1), late (sales2), never confirmed (sales9, the other team)."""

    def verbal(who, due, confirmed=None):
        made = order(customer, who, channel="verbal", confirmation_due_at=due)
        if confirmed:
            event(made, "order.confirmed_in_writing", confirmed, who)
        return made

    return {
        "on_time": verbal(salesperson, at(3, 5, 12), at(3, 4)),
        "late": verbal(other_salesperson, at(3, 8, 12), at(3, 9)),
        "other_team": verbal(other_team[1], at(3, 12, 12)),
    }


def test_a_sales_manager_counts_their_team_only(
    verbal_orders, sales_manager, salesperson, other_salesperson, other_team, supervisor
):
    _kpi, _period, [everyone] = kpi_read(user=supervisor, name=KPI, **MARCH)
    _kpi, _period, [team] = kpi_read(user=sales_manager, name=KPI, **MARCH)
    assert (everyone["value"], everyone["count"]) == (D("33.33"), 3)
    assert (team["value"], team["count"]) == (D("50.00"), 2)

    _kpi, _period, rows = kpi_read(user=sales_manager, name=KPI, group_by="person", **MARCH)
    assert {r["person"]: r["value"] for r in rows} == {
        salesperson.pk: D("100.00"),
        other_salesperson.pk: D("0.00"),
    }
    # The other manager sees their own team, not this one.
    _kpi, _period, [theirs] = kpi_read(user=other_team[0], name=KPI, **MARCH)
    assert (theirs["value"], theirs["count"]) == (D("0.00"), 1)


def test_the_drilldown_lists_only_the_teams_records(verbal_orders, sales_manager, other_team):
    _kpi, _period, facts = kpi_drilldown(user=sales_manager, name=KPI, **MARCH)
    numbers = sorted(f.label for f in facts)
    assert numbers == sorted([verbal_orders["on_time"].number, verbal_orders["late"].number])
    # Asking for a person of another team lists nothing rather than their records.
    _kpi, _period, foreign = kpi_drilldown(
        user=sales_manager, name=KPI, group_by="person", group=other_team[1].pk, **MARCH
    )
    assert foreign == []


def test_who_may_look(sales_manager, supervisor, salesperson, sales_admin, outsider):
    assert kpi_people(supervisor) is None
    assert sales_manager.pk in kpi_people(sales_manager)
    for user in (salesperson, sales_admin, outsider):
        with pytest.raises(PermissionDenied):
            kpi_people(user)


def test_pages_and_api_are_scoped(verbal_orders, sales_manager, salesperson, other_team):
    client = Client()
    client.force_login(sales_manager)
    page = client.get(reverse("supervision:dashboard"), {"from": "2026-03-01", "to": "2026-03-31"})
    assert page.status_code == 200
    assert "Your team only" in page.content.decode()
    assert reverse("supervision:dashboard") in page.content.decode()  # in the menu
    detail = client.get(
        reverse("supervision:kpi", args=[KPI]), {"from": "2026-03-01", "to": "2026-03-31"}
    )
    text = detail.content.decode()
    assert detail.status_code == 200
    assert verbal_orders["on_time"].number in text
    assert verbal_orders["other_team"].number not in text
    api = client.get(
        "/api/v1/kpis", {"kpi": KPI, "group_by": "person", "from": "2026-03-01", "to": "2026-03-31"}
    )
    assert api.status_code == 200
    people = {row["person"] for row in api.json()["rows"]}
    assert other_team[1].pk not in people and people
    records = client.get(
        f"/api/v1/kpis/{KPI}/records", {"from": "2026-03-01", "to": "2026-03-31"}
    ).json()
    assert verbal_orders["other_team"].number not in str(records)

    client.force_login(salesperson)
    assert client.get(reverse("supervision:dashboard")).status_code == 403
    assert client.get("/api/v1/kpis", {"kpi": KPI}).status_code == 403


def test_evaluation_runs_still_count_everyone(verbal_orders):
    """Evaluation snapshots read kpi_values without a team: unchanged by the scoping."""
    from salesdesk.analytics.slicing import Period
    from salesdesk.supervision.kpis import kpi_get, kpi_values

    [total] = kpi_values(kpi_get(KPI), Period(date(2026, 3, 1), date(2026, 3, 31)))
    assert total["count"] == 3
