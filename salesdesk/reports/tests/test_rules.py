"""Each rule alone on hand-computed numbers: fires just past its threshold, not at it (A3.1)."""

from decimal import Decimal

import pytest
from django.utils import translation

from salesdesk.reports import rules

pytestmark = pytest.mark.req("A3.1")

D = Decimal


def test_falling_segment_fires_only_past_the_threshold():
    pairs = {"at edge": (D("80.00"), D("100.00")), "past edge": (D("79.99"), D("100.00"))}
    found = rules.falling_segments("region", pairs, percent=D(20))
    assert [(p["segment"], p["severity"]) for p in found] == [("past edge", "medium")]
    assert found[0]["numbers"] == {
        "current": "79.99",
        "previous": "100.00",
        "change": "-0.2001",
        "threshold": "20",
    }


def test_falling_segment_is_high_when_the_segment_halves_or_stops():
    pairs = {"halved": (D(60), D(100)), "stopped": (D(0), D(10)), "grew": (D(200), D(100))}
    found = rules.falling_segments("customer", pairs, percent=D(20))
    assert {p["segment"]: p["severity"] for p in found} == {"halved": "high", "stopped": "high"}


def test_falling_segment_ignores_new_and_small_segments():
    pairs = {"new": (D(100), D(0)), "small": (D(1), D(50)), "big": (D(1), D(500))}
    found = rules.falling_segments("category", pairs, percent=D(20), minimum=D(100))
    assert [p["segment"] for p in found] == ["big"]


def test_rising_churn_edges():
    assert rules.rising_churn(D("0.1500"), D("0.1000"), points=D(5)) == []
    assert rules.rising_churn(D("0.1501"), D("0.1000"), points=D(5))[0]["severity"] == "medium"
    assert rules.rising_churn(D("0.2001"), D("0.1000"), points=D(5))[0]["severity"] == "high"
    assert rules.rising_churn(D("0.5"), None, points=D(5)) == []  # first period: no rule


def test_margin_erosion_edges_overall_and_per_segment():
    assert rules.margin_erosion("", {"": (D("0.3700"), D("0.4000"))}, points=D(3)) == []
    found = rules.margin_erosion("", {"": (D("0.3699"), D("0.4000"))}, points=D(3))
    assert found[0]["numbers"]["change"] == "-0.0301"
    pairs = {"軸承": (D("0.20"), D("0.40")), "馬達": (None, D("0.40"))}
    found = rules.margin_erosion("category", pairs, points=D(3))
    assert [(p["segment"], p["severity"]) for p in found] == [("軸承", "high")]


def test_late_deliveries_edges():
    rates = {"truck": D("0.9000"), "rail": D("0.8999"), "air": D("0.7999"), "sea": None}
    found = rules.late_deliveries("ship_mode", rates, minimum_percent=D(90))
    assert [(p["segment"], p["severity"]) for p in found] == [("air", "high"), ("rail", "medium")]


def test_finding_and_action_texts_carry_the_numbers():
    problem = rules.falling_segments("region", {"華南": (D(500), D(1200))}, percent=D(20))[0]
    with translation.override("en"):
        assert rules.finding_text(problem) == (
            "Revenue of region “華南” changed -58.3%, from 1,200.00 to 500.00 "
            "(rule: a fall of more than 20%)."
        )
        assert "華南" in rules.action_text(problem)
    late = rules.late_deliveries("", {"": D("0.5")}, minimum_percent=D(90))[0]
    with translation.override("en"):
        assert rules.finding_text(late) == "On-time delivery was 50.0%, below the target of 90%."
