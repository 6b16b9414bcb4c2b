"""The permission matrix of the orders API: every role × list, get, create, submit, approve,
cancel, on an order of the salesperson `sales1` (O1.1, O2, O3.1, C3.3 applied to orders).

Team: sales1, sales2 and admin1 report to `manager`, so the sales admin and the sales manager
see and work on sales1's orders; sales2 does not see them. Legal, finance, the departments,
management and the supervisor read every order but enter and decide none. Only the sales
admin approves (and never what they submitted). The IT admin and outsiders see no orders.
Every refusal leaves the order, its lines and the stock unchanged, creates no order and
writes no event.
"""

import pytest
from django.forms.models import model_to_dict

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.audit.models import Event
from salesdesk.catalog.models import Stock
from salesdesk.orders.models import Order, OrderLine
from salesdesk.orders.services import order_approve, order_submit
from salesdesk.orders.tests.conftest import delivery

pytestmark = pytest.mark.req("O1.1", "O2.1", "O3.1", "C3.3")

URL = "/api/v1/orders"

# persona: (sees it in the list, GET, POST create, submit, approve, cancel)
EXPECTED = {
    "salesperson": (True, 200, 201, 200, 403, 200),
    "other_salesperson": (False, 404, 404, 404, 404, 404),
    "sales_admin": (True, 200, 201, 200, 200, 200),
    "sales_manager": (True, 200, 201, 200, 403, 200),
    "legal": (True, 200, 403, 403, 403, 403),
    "finance": (True, 200, 403, 403, 403, 403),
    "warehouse": (True, 200, 403, 403, 403, 403),
    "supervisor": (True, 200, 403, 403, 403, 403),
    "production": (True, 200, 403, 403, 403, 403),
    "purchasing": (True, 200, 403, 403, 403, 403),
    "quality": (True, 200, 403, 403, 403, 403),
    "logistics": (True, 200, 403, 403, 403, 403),
    "management": (True, 200, 403, 403, 403, 403),
    "it_admin": (False, 404, 403, 404, 404, 404),
    "outsider": (False, 404, 403, 404, 404, 404),
}
PERSONAS = list(EXPECTED)
CODES = {200: None, 201: None, 403: "permission_denied", 404: "not_found"}


@pytest.fixture
def production(db):
    return UserFactory(username="production1", roles=["production"])


@pytest.fixture
def purchasing(db):
    return UserFactory(username="purchasing1", roles=["purchasing"])


@pytest.fixture
def quality(db):
    return UserFactory(username="quality1", roles=["quality"])


@pytest.fixture
def logistics(db):
    return UserFactory(username="logistics1", roles=["logistics"])


@pytest.fixture
def management(db):
    return UserFactory(username="management1", roles=["management"])


@pytest.fixture
def draft(make_order):
    return make_order()


@pytest.fixture
def under_review(draft, salesperson):
    return order_submit(actor=salesperson, order_id=draft.pk)


@pytest.fixture
def approved(under_review, sales_admin):
    return order_approve(actor=sales_admin, order_id=under_review.pk)


@pytest.fixture
def as_persona(client, request):
    def login(name: str):
        client.force_login(request.getfixturevalue(name))
        return client

    return login


def _snapshot() -> tuple:
    return (
        [model_to_dict(order) for order in Order.objects.order_by("pk")],
        list(OrderLine.objects.order_by("pk").values()),
        list(Stock.objects.order_by("pk").values("on_hand", "reserved")),
    )


class Unchanged:
    """Asserts after a refusal: same orders, lines and stock, and no new event."""

    def __init__(self):
        self.before = _snapshot()
        self.events = Event.objects.count()

    def check(self) -> None:
        assert _snapshot() == self.before
        assert Event.objects.count() == self.events


def _expect(response, status: int, unchanged: Unchanged) -> None:
    assert response.status_code == status, response.content
    if CODES[status]:
        assert response.json()["code"] == CODES[status]
        unchanged.check()


@pytest.mark.parametrize("persona", PERSONAS)
def test_list(as_persona, draft, persona):
    response = as_persona(persona).get(URL)
    assert response.status_code == 200
    assert (draft.pk in [item["id"] for item in response.json()["items"]]) is EXPECTED[persona][0]


@pytest.mark.parametrize("persona", PERSONAS)
def test_get(as_persona, draft, persona):
    unchanged = Unchanged()
    response = as_persona(persona).get(f"{URL}/{draft.pk}")
    _expect(response, EXPECTED[persona][1], unchanged)
    unchanged.check()


@pytest.mark.parametrize("persona", PERSONAS)
def test_create(as_persona, customer, products, persona):
    body = {
        "customer": customer.pk,
        "payment_terms": "net_30",
        "requested_delivery_date": delivery(),
        "lines": [{"product": "B-6204", "quantity": "1"}],
    }
    client = as_persona(persona)
    unchanged = Unchanged()
    response = client.post(URL, body, content_type="application/json")
    _expect(response, EXPECTED[persona][2], unchanged)
    if response.status_code == 201:
        assert Order.objects.get(pk=response.json()["id"]).salesperson.username == "sales1"


@pytest.mark.parametrize("persona", PERSONAS)
def test_submit(as_persona, draft, persona):
    client = as_persona(persona)
    unchanged = Unchanged()
    response = client.post(f"{URL}/{draft.pk}/submit", content_type="application/json")
    _expect(response, EXPECTED[persona][3], unchanged)
    if response.status_code == 200:
        assert Order.objects.get(pk=draft.pk).status == "under_review"


@pytest.mark.parametrize("persona", PERSONAS)
def test_approve(as_persona, under_review, persona):
    client = as_persona(persona)
    unchanged = Unchanged()
    response = client.post(f"{URL}/{under_review.pk}/approve", content_type="application/json")
    _expect(response, EXPECTED[persona][4], unchanged)
    if response.status_code == 200:
        assert Order.objects.get(pk=under_review.pk).status == "approved"
        assert Stock.objects.get(product__sku="B-6204").reserved == 10


@pytest.mark.parametrize("persona", PERSONAS)
def test_cancel(as_persona, approved, persona):
    client = as_persona(persona)
    unchanged = Unchanged()
    response = client.post(
        f"{URL}/{approved.pk}/cancel", {"reason": "客戶撤單"}, content_type="application/json"
    )
    _expect(response, EXPECTED[persona][5], unchanged)
    if response.status_code == 200:
        assert Order.objects.get(pk=approved.pk).status == "cancelled"
        assert Stock.objects.get(product__sku="B-6204").reserved == 0


def test_submitter_may_not_approve_even_as_sales_admin(client, make_order, sales_admin):
    order = order_submit(actor=sales_admin, order_id=make_order(actor=sales_admin).pk)
    client.force_login(sales_admin)
    unchanged = Unchanged()
    response = client.post(f"{URL}/{order.pk}/approve", content_type="application/json")
    _expect(response, 403, unchanged)


def test_anonymous_is_401(client, draft):
    response = client.get(f"{URL}/{draft.pk}")
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
