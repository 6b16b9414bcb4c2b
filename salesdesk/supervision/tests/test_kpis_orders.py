"""Order KPIs on a scripted history with hand-computed values (E2.1, E2.2)."""

from datetime import date
from decimal import Decimal

import pytest

from salesdesk.analytics.slicing import Period
from salesdesk.supervision.kpis import kpi_get, kpi_overview, kpi_records, kpi_values
from salesdesk.supervision.tests.history import at, event, order

pytestmark = [pytest.mark.django_db, pytest.mark.req("E2.2")]
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
D = Decimal


@pytest.fixture
def reviews(customer, salesperson, sales_admin, sales_manager):
    """Orders submitted and decided at chosen times; the SLA is the default 8 hours."""
    made = {}

    def script(name, steps):
        made[name] = o = order(customer, salesperson)
        for verb, when, actor in steps:
            event(o, verb, when, actor)

    script(
        "A",
        [
            ("order.created", at(3, 1, 9), salesperson),
            ("order.submitted", at(3, 2, 9), salesperson),
            ("order.approved", at(3, 2, 13), sales_admin),
        ],
    )  # 4 h, in SLA
    script(
        "B",
        [
            ("order.created", at(3, 3, 8), salesperson),
            ("order.submitted", at(3, 3, 9), salesperson),
            ("order.approved", at(3, 4, 9), sales_admin),
        ],
    )  # 24 h, late
    script(
        "C",
        [
            ("order.created", at(3, 5, 9), salesperson),
            ("order.submitted", at(3, 5, 10), salesperson),
            ("order.rejected", at(3, 5, 11), sales_admin),  # decided in SLA
            ("order.submitted", at(3, 6, 10), salesperson),
            ("order.approved", at(3, 6, 12, 30), sales_manager),
        ],
    )  # 2.5 h from resubmission
    script(
        "D",
        [
            ("order.created", at(3, 10, 7), salesperson),
            ("order.submitted", at(3, 10, 8), salesperson),
            ("order.approved", at(3, 10, 18), sales_admin),
        ],
    )  # 10 h, late
    script(
        "E",
        [
            ("order.created", at(3, 30, 7), salesperson),
            ("order.submitted", at(3, 30, 8), salesperson),
            ("order.approved", at(4, 1, 8), sales_admin),
        ],
    )  # approved in April, 48 h
    script("F", [("order.submitted", at(3, 20, 9), salesperson)])  # never decided: a miss
    script(
        "G",
        [
            ("order.submitted", at(3, 21, 9), salesperson),
            ("order.cancelled", at(3, 21, 10), salesperson),
        ],
    )  # cancelled in SLA: out
    return made


def test_review_cycle_time_median_and_p90(reviews, sales_admin, sales_manager):
    kpi = kpi_get("order_processing_cycle_time", "review")
    # March approvals: 4, 24, 2.5, 10 h → median (4 + 10) / 2 = 7, p90 nearest rank 4 of 4.
    [total] = kpi_values(kpi, MARCH)
    assert (total["value"], total["p90"], total["count"]) == (D("7.00"), D("24.00"), 4)
    assert total["met"] is True  # target 8 h, lower is better
    by_person = {r["person"]: r for r in kpi_values(kpi, MARCH, "person")}
    assert (by_person[sales_admin.pk]["value"], by_person[sales_admin.pk]["p90"]) == (
        D("10.00"),
        D("24.00"),
    )
    assert by_person[sales_manager.pk]["value"] == D("2.50")
    assert by_person[sales_admin.pk]["met"] is False
    april = kpi_values(kpi, Period(date(2026, 4, 1), date(2026, 4, 30)))
    assert april[0]["value"] == D("48.00")


def test_allocation_cycle_time_runs_from_entry(reviews):
    kpi = kpi_get("order_processing_cycle_time", "allocation")
    # 28, 25, 27.5, 11 h → median (25 + 27.5) / 2 = 26.25, p90 = 28.
    [total] = kpi_values(kpi, MARCH)
    assert (total["value"], total["p90"]) == (D("26.25"), D("28.00"))
    assert [f.value for f in kpi_records(kpi, MARCH)] == [
        D("28.00"),
        D("25.00"),
        D("27.50"),
        D("11.00"),
    ]


def test_reviews_within_sla_by_person_team_department_month(reviews, sales_admin, sales_manager):
    kpi = kpi_get("orders_reviewed_within_sla")
    # Counted: A ok, B late, C1 ok, C2 ok, D late, E late, F undecided → 3 / 7.
    [total] = kpi_values(kpi, MARCH)
    assert (total["numerator"], total["denominator"], total["value"]) == (D(3), D(7), D("42.86"))
    person = {r["person"]: r["value"] for r in kpi_values(kpi, MARCH, "person")}
    assert person == {sales_admin.pk: D("40.00"), sales_manager.pk: D("100.00"), None: D("0.00")}
    team = {r["team"]: r["value"] for r in kpi_values(kpi, MARCH, "team")}
    assert team == {sales_manager.pk: D("50.00"), None: D("0.00")}
    department = {r["label"]: r["value"] for r in kpi_values(kpi, MARCH, "department")}
    assert department[str(sales_admin.department)] == D("40.00")
    assert department[str(sales_manager.department)] == D("100.00")
    [month] = kpi_values(kpi, MARCH, "month")
    assert (month["month"], month["value"]) == (date(2026, 3, 1), D("42.86"))


def test_sla_drilldown_lists_exactly_the_counted_submissions(reviews, sales_admin):
    kpi = kpi_get("orders_reviewed_within_sla")
    facts = kpi_records(kpi, MARCH)
    counted = sorted((f.label, f.in_numerator) for f in facts)
    r = {k: v.number for k, v in reviews.items()}
    assert counted == sorted(
        [
            (r["A"], True),
            (r["B"], False),
            (r["C"], True),
            (r["C"], True),
            (r["D"], False),
            (r["E"], False),
            (r["F"], False),
        ]
    )
    mine = kpi_records(kpi, MARCH, group_by="person", group=sales_admin.pk)
    assert sorted(f.label for f in mine) == sorted([r["A"], r["B"], r["C"], r["D"], r["E"]])
    assert [f.label for f in kpi_records(kpi, MARCH, group_by="person", group="none")] == [r["F"]]


def test_verbal_orders_confirmed_on_time(customer, salesperson, other_salesperson):
    def verbal(who, due, confirmed=None, **fields):
        o = order(customer, who, channel="verbal", confirmation_due_at=due, **fields)
        if confirmed:
            event(o, "order.confirmed_in_writing", confirmed, who)
        return o

    verbal(salesperson, at(3, 5, 12), at(3, 4))  # on time
    verbal(salesperson, at(3, 8, 12), at(3, 9))  # late
    verbal(other_salesperson, at(3, 12, 12))  # never: a miss
    verbal(other_salesperson, at(3, 15, 12), status="cancelled")  # needs no confirmation
    verbal(salesperson, at(4, 2, 12), at(4, 1))  # April
    kpi = kpi_get("verbal_orders_confirmed_on_time")
    [total] = kpi_values(kpi, MARCH)
    assert (total["value"], total["count"]) == (D("33.33"), 3)
    person = {r["person"]: r["value"] for r in kpi_values(kpi, MARCH, "person")}
    assert person == {salesperson.pk: D("50.00"), other_salesperson.pk: D("0.00")}
    assert len(kpi_records(kpi, MARCH)) == 3


def test_dashboard_overview_has_value_trend_and_worst_performers(reviews, sales_admin):
    overview = kpi_overview(kpi_get("orders_reviewed_within_sla"), MARCH)
    assert (overview["total"]["value"], overview["total"]["met"]) == (D("42.86"), False)
    assert [(t["month"], t["value"]) for t in overview["trend"]] == [(date(2026, 3, 1), D("42.86"))]
    assert [(w["person"], w["value"]) for w in overview["worst"]] == [(sales_admin.pk, D("40.00"))]
    cycle = kpi_overview(kpi_get("order_processing_cycle_time", "review"), MARCH)
    assert [(w["person"], w["value"]) for w in cycle["worst"]] == [(sales_admin.pk, D("10.00"))]
