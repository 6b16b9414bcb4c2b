"""Dashboard pages (A2.1, A4, U11): permissions, scoping, filters, exports equal to the tables."""

import pytest
from django.contrib.staticfiles import finders

from salesdesk.analytics import dashboard
from salesdesk.analytics.dashboard_tables import top_table
from salesdesk.analytics.tests.test_dashboard import TODAY, make_sales
from salesdesk.core.exports import read_xlsx_rows

pytestmark = [pytest.mark.django_db, pytest.mark.req("A2.1", "A4")]

URL = "/analytics/"
MINE = "/analytics/mine/"
Q1 = {"period": "custom", "from": "2026-01-01", "to": "2026-03-31"}


@pytest.fixture
def sales_facts(salesperson, other_salesperson):
    return make_sales(salesperson, other_salesperson)


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_outsider_is_refused_both_pages(client, outsider):
    assert _get(client, outsider, URL).status_code == 403
    assert _get(client, outsider, MINE).status_code == 403


def test_salesperson_is_sent_to_their_own_view(client, salesperson):
    response = _get(client, salesperson, URL, **Q1)
    assert response.status_code == 302
    assert response["Location"].startswith(MINE + "?")
    assert "from=2026-01-01" in response["Location"]


def test_overview_shows_tiles_trend_and_top_tables(client, sales_manager, sales_facts):
    response = _get(client, sales_manager, URL, **Q1)
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.period.bucket == "quarter"
    content = response.content.decode()
    assert "1,370.00" in content
    for table in ("kpis", "trend", "top-customer", "top-product", "top-salesperson", "top-region"):
        assert f'id="export-{table}"' in content
    assert 'type="application/json"' in content
    assert "/static/vendor/plotly.min.js" in content
    assert "<script>" not in content  # nothing inline: the CSP forbids it


def test_own_view_never_shows_another_salespersons_customers(client, salesperson, sales_facts):
    response = _get(client, salesperson, MINE, **Q1)
    assert response.status_code == 200
    content = response.content.decode()
    assert sales_facts["mine"].code in content
    assert sales_facts["theirs"].code not in content
    assert "670.00" in content
    assert [t["id"] for t in response.context["tops"]] == ["top-customer", "top-product"]
    assert "salesperson" not in response.context["form"].fields


def test_managers_own_view_is_their_own_sales(client, sales_manager, sales_facts):
    response = _get(client, sales_manager, MINE, **Q1)
    assert response.context["overview"].filters == {"salesperson": "manager"}
    assert response.context["overview"].tiles[0].value == 0


def test_a_range_alone_is_a_custom_period_as_in_the_api(client, sales_manager, sales_facts):
    response = _get(client, sales_manager, URL, **{"from": "2025-01-01", "to": "2025-12-31"})
    period = response.context["overview"].period
    assert (period.preset, period.bucket) == ("custom", "year")
    assert response.context["overview"].tiles[0].value == 670
    assert response.context["overview"].calls <= 14


def test_filters_from_the_form(client, sales_manager, sales_facts):
    response = _get(client, sales_manager, URL, **Q1, industry="food", salesperson="sales2")
    overview = response.context["overview"]
    assert overview.filters == {"industry": "food", "salesperson": "sales2"}
    assert overview.tiles[0].value == 700


def test_bad_custom_dates_show_the_error_and_the_default_period(client, sales_manager):
    response = _get(client, sales_manager, URL, period="custom", **{"from": "2026-03-01"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["to"]
    assert response.context["overview"].period.preset == "this_month"


@pytest.mark.parametrize("table", ["top-customer", "top-region", "trend", "kpis"])
def test_export_holds_exactly_the_rows_shown(client, sales_manager, sales_facts, table):
    page = _get(client, sales_manager, URL, **Q1, top=5)
    tables = {
        t["id"]: t for t in [page.context["tiles"], page.context["trend"], *page.context["tops"]]
    }
    shown = tables[table]
    response = client.get(URL, {**Q1, "top": 5, "export": table})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    exported = read_xlsx_rows(b"".join(response.streaming_content))
    assert exported[0] == [str(h["label"]) for h in shown["headers"]]
    assert len(exported) - 1 == len(shown["rows"])
    for written, row in zip(exported[1:], shown["rows"], strict=True):
        expected = [c["value"] for c in row]
        written = written + [None] * (len(expected) - len(written))  # trailing blanks
        assert [_plain(v) for v in written] == [_plain(v) for v in expected]


def _plain(value):
    if value is None or value == "":
        return None
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    return float(value) if not isinstance(value, str) and not hasattr(value, "year") else value


def test_top_size_is_selectable(client, sales_manager, sales_facts):
    response = _get(client, sales_manager, URL, **Q1, top=5)
    assert response.context["overview"].tops["customer"][0]["rank"] == 1
    period = dashboard.period_resolve("custom", Q1["from"], Q1["to"], today=TODAY)
    rows = dashboard.dashboard_top(
        user=sales_manager, period=period, filters={}, dimension="customer", size=1
    )
    assert len(top_table("customer", rows)["rows"]) == 1


def test_unknown_export_renders_the_page(client, sales_manager, sales_facts):
    response = _get(client, sales_manager, URL, **Q1, export="top-planet")
    assert response.status_code == 200


def test_plotly_is_served_from_our_origin(client):
    assert finders.find("vendor/plotly.min.js").endswith("package_data/plotly.min.js")
    response = client.get("/static/vendor/plotly.min.js")
    assert response.status_code == 200
    head = b"".join(response.streaming_content)[:200]
    assert b"plotly.js" in head


def test_menu_offers_the_dashboard(client, sales_manager):
    response = _get(client, sales_manager, URL, **Q1)
    urls = [item["url"] for item in response.context["nav_items"]]
    assert URL in urls
    assert "/analytics/quality/" in urls
