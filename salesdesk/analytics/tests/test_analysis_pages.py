"""The analysis and decision-support pages: render, scope, and export exactly what they show
(A2.1, A4.1, U11)."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from salesdesk.analytics.tests.analysis_data import fact, load
from salesdesk.core.exports import read_xlsx_rows
from salesdesk.customers.tests.factories import enterprise

pytestmark = pytest.mark.req("A2.1", "A4.1")
ANALYSIS = "/analytics/analysis/"
DECISIONS = "/analytics/decisions/"
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def sales(salesperson, other_salesperson):
    mine, theirs = enterprise(salesperson), enterprise(other_salesperson)
    load(
        fact(date(2026, 2, 3), mine, "A", 10, "100", category="motor"),
        fact(date(2026, 2, 3), mine, "B", 10, "200", category="gear"),
        fact(date(2026, 3, 3), mine, "A", 20, "220", category="motor"),
        fact(date(2026, 3, 3), mine, "B", 5, "100", category="gear"),
        fact(date(2026, 3, 4), theirs, "C", 1, "999.99", category="cable"),
    )
    return {"mine": mine, "theirs": theirs}


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def _shown(table) -> list[list]:
    headers, rows, _count = table
    return [[str(h["label"]) for h in headers], *[[cell["value"] for cell in row] for row in rows]]


def _exported(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return read_xlsx_rows(b"".join(response.streaming_content))


def _cell(value):
    """A cell as Excel gives it back: "" is empty, dates come back as midnight datetimes."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value)).normalize()
    return value if isinstance(value, date) else str(value)


def _same(shown, exported) -> None:
    assert len(shown) == len(exported)
    for row_shown, row_exported in zip(shown, exported, strict=True):
        width = max(len(row_shown), len(row_exported))
        padded = [[*row, *[None] * (width - len(row))] for row in (row_shown, row_exported)]
        assert [_cell(v) for v in padded[0]] == [_cell(v) for v in padded[1]]


def test_analysis_page_shows_the_three_analyses(client, supervisor, sales):
    response = _get(client, supervisor, ANALYSIS, dimension="category", n=1, **MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    for table in ("compare-table", "top-table", "contributions-table", "effects-table"):
        assert f'id="{table}"' in html
    tables = response.context["tables"]
    # change 1,019.99: the two continuing SKUs (+20.00) and the new SKU C (+999.99)
    assert _shown(tables["effects"])[1:] == [
        ["Volume effect", Decimal("75.00"), Decimal("7.35")],
        ["Mix effect", Decimal("-75.00"), Decimal("-7.35")],
        ["Price effect", Decimal("20.00"), Decimal("1.96")],
        ["New products", Decimal("999.99"), Decimal("98.04")],
        ["Discontinued products", Decimal("0.00"), Decimal("0.00")],
        ["Change in revenue", Decimal("1019.99"), None],
    ]
    assert _shown(tables["top"])[1:] == [
        [1, "cable", Decimal("999.99"), Decimal("75.76")],
        ["", "All others (2)", Decimal("320.00"), Decimal("24.24")],
        ["", "Total", Decimal("1319.99"), Decimal("100.00")],
    ]


@pytest.mark.parametrize("table", ["compare", "top", "contributions", "effects", "products"])
def test_analysis_exports_exactly_the_table(client, supervisor, sales, table):
    params = {"dimension": "category", "n": 2, **MARCH}
    page = _get(client, supervisor, ANALYSIS, **params)
    export = _get(client, supervisor, ANALYSIS, export=table, **params)
    _same(_shown(page.context["tables"][table]), _exported(export))


def test_comparison_sorts_and_filters(client, supervisor, sales):
    params = {"dimension": "category", "sort": "change", **MARCH}
    rows = _shown(_get(client, supervisor, ANALYSIS, **params).context["tables"]["compare"])
    assert [row[0] for row in rows[1:]] == ["gear", "motor", "cable"]
    params |= {"filter_dimension": "category", "filter_value": "gear"}
    rows = _shown(_get(client, supervisor, ANALYSIS, **params).context["tables"]["compare"])
    assert rows[1:] == [["gear", Decimal("100.00"), Decimal("200.00"), Decimal("-100.00"), -50]]


def test_salesperson_sees_only_own_customers(client, salesperson, sales):
    response = _get(client, salesperson, ANALYSIS, dimension="customer", **MARCH)
    rows = _shown(response.context["tables"]["compare"])
    assert [row[0] for row in rows[1:]] == [sales["mine"].code]
    assert sales["theirs"].code not in response.content.decode()


def test_bad_choice_is_shown_next_to_the_field(client, supervisor, sales):
    response = _get(client, supervisor, ANALYSIS, metric="churn_rate", n=0, **MARCH)
    assert response.status_code == 200
    assert response.context["form"].errors["n"]
    assert response.context["tables"] == {}


def test_outsider_is_refused(client, outsider):
    assert _get(client, outsider, ANALYSIS).status_code == 403
    assert _get(client, outsider, DECISIONS).status_code == 403


def test_decisions_page_lists_and_exports(client, supervisor, sales):
    params = {"as_of": "2026-07-15", "grain": "month"}
    response = _get(client, supervisor, DECISIONS, **params)
    assert response.status_code == 200
    tables = response.context["tables"]
    at_risk = _shown(tables["at_risk"])
    assert [row[0] for row in at_risk[1:]] == [sales["mine"].code]
    assert 'id="forecast-method"' in response.content.decode()
    for name in ("at_risk", "opportunities", "forecast", "errors", "backtest"):
        export = _get(client, supervisor, DECISIONS, export=name, **params)
        _same(_shown(tables[name]), _exported(export))


def test_decisions_page_states_the_forecast_method(client, supervisor, db):
    load(*[fact(date(2026, m, 5), "LIN", "A", 1, 100 * m) for m in range(1, 7)])
    response = _get(client, supervisor, DECISIONS, as_of="2026-07-15")
    html = response.content.decode()
    assert "Holt" in html
    assert 'id="errors-table"' in html
    forecast = _shown(response.context["tables"]["forecast"])
    assert forecast[1][:2] == [date(2026, 7, 1), Decimal("700.00")]
