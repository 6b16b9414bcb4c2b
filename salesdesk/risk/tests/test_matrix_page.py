"""The level matrix editor page (R1.2): admins see and change the matrix; a matrix whose level
falls as the risk rises is refused naming the cell, and nothing changes; others may not look."""

import pytest
from django.test import Client
from django.urls import reverse

from salesdesk.audit.models import Event
from salesdesk.core import policies

pytestmark = [pytest.mark.django_db, pytest.mark.req("R1.2")]
URL = reverse("risk:matrix")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cells(rows: list[list[str]]) -> dict[str, str]:
    return {
        f"cell_{i}_{j}": level
        for i, row in enumerate(rows, start=1)
        for j, level in enumerate(row, start=1)
    }


def test_the_page_shows_the_configured_matrix(it_admin):
    page = _client(it_admin).get(URL)
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('<select name="cell_') == 25
    # Likelihood 5 × impact 5 is critical in the default matrix.
    assert 'aria-label="Likelihood 5, impact 5"' in text
    cell = text.split('name="cell_5_5"')[1].split("</select>")[0]
    assert '<option value="critical" selected>' in cell


def test_saving_a_matrix_stores_it_and_logs_the_change(it_admin):
    rows = [["low", "medium", "high"], ["medium", "high", "critical"], ["high"] + ["critical"] * 2]
    before = Event.objects.filter(verb="policy.changed").count()

    response = _client(it_admin).post(URL, {"scale": "3", **_cells(rows)})

    assert response.status_code == 302 and response["Location"] == reverse("risk:heatmap")
    assert policies.value("risk.scale") == 3
    assert policies.value("risk.matrix") == [" ".join(row) for row in rows]
    assert Event.objects.filter(verb="policy.changed").count() == before + 2


def test_a_falling_level_is_refused_naming_the_cell_and_changes_nothing(it_admin):
    rows = [["high", "low"], ["high", "high"]]
    events = Event.objects.count()

    response = _client(it_admin).post(URL, {"scale": "2", **_cells(rows)})

    assert response.status_code == 422
    assert "Likelihood 1, impact 2: the level falls as the risk rises." in response.content.decode()
    assert (policies.value("risk.scale"), Event.objects.count()) == (5, events)
    # The form keeps what was entered, to be corrected.
    cell = response.content.decode().split('name="cell_1_2"')[1].split("</select>")[0]
    assert '<option value="low" selected>' in cell


def test_a_bad_scale_is_refused(it_admin):
    events = Event.objects.count()
    response = _client(it_admin).post(URL, {"scale": "11", **_cells([["low"] * 11] * 11)})
    assert response.status_code == 422
    assert "Choose a scale from 2 to 10." in response.content.decode()
    assert policies.value("risk.scale") == 5
    assert Event.objects.count() == events


def test_another_scale_starts_from_the_nearest_cells(it_admin):
    page = _client(it_admin).get(URL, {"scale": "3"})
    text = page.content.decode()
    assert text.count('<select name="cell_') == 9
    assert (
        '<option value="critical" selected>'
        in text.split('name="cell_3_3"')[1].split("</select>")[0]
    )


def test_only_policy_admins_may_open_or_save_it(sales_manager, supervisor, salesperson, it_admin):
    events = Event.objects.count()
    for user in (sales_manager, supervisor, salesperson):
        client = _client(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"scale": "2", **_cells([["low"] * 2] * 2)}).status_code == 403
    assert (policies.value("risk.scale"), Event.objects.count()) == (5, events)
    heat_map = _client(it_admin).get(reverse("risk:heatmap")).content.decode()
    assert URL in heat_map
    assert URL not in _client(sales_manager).get(reverse("risk:heatmap")).content.decode()
