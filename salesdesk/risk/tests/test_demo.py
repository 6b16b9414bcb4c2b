"""The demo loader fills the register and scores the customers with orders (R1.1, R1.2)."""

import pytest
from django.core.management import call_command

from salesdesk.risk.models import CreditScore, Risk


@pytest.mark.req("R1.1", "R1.2")
def test_demo_loads_risks_and_scores(db, capsys):
    call_command("demo", "--once")
    assert "3 demo risks" in capsys.readouterr().out
    assert sorted(Risk.objects.values_list("status", flat=True)) == [
        "assessed",
        "identified",
        "treated",
    ]
    assert CreditScore.objects.exists()
