"""The permission matrix of the customers API (C3.3): every role × list, get, edit, reveal,
export (and create), on a customer owned by the salesperson `sales1`.

Team: sales1, sales2 and admin1 all report to `manager`, so the sales admin and the sales
manager see and edit sales1's customers; sales2 does not see them. Readers (legal, finance,
warehouse, logistics, management, supervisor) see every customer masked; only finance among
them may reveal. Production, purchasing, quality, IT admins and outsiders see no customers.
Every refusal leaves the customer and its contacts unchanged and writes no access-log row
and no event.
"""

import pytest

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.audit.models import AccessLog, Event
from salesdesk.core.exports import read_xlsx_rows
from salesdesk.customers.models import Contact, Customer
from salesdesk.customers.tests.factories import enterprise

pytestmark = pytest.mark.req("C3.3")

URL = "/api/v1/customers"

# persona: (sees it in the list, GET, PATCH, reveal, export, create)
EXPECTED = {
    "salesperson": (True, 200, 200, 200, 200, 201),
    "other_salesperson": (False, 404, 404, 404, 200, 201),
    "sales_admin": (True, 200, 200, 200, 200, 201),
    "sales_manager": (True, 200, 200, 200, 200, 201),
    "legal": (True, 200, 403, 403, 403, 403),
    "finance": (True, 200, 403, 200, 403, 403),
    "warehouse": (True, 200, 403, 403, 403, 403),
    "logistics": (True, 200, 403, 403, 403, 403),
    "management": (True, 200, 403, 403, 200, 403),
    "supervisor": (True, 200, 403, 403, 403, 403),
    "production": (False, 404, 404, 404, 403, 403),
    "purchasing": (False, 404, 404, 404, 403, 403),
    "quality": (False, 404, 404, 404, 403, 403),
    "it_admin": (False, 404, 404, 404, 403, 403),
    "outsider": (False, 404, 404, 404, 403, 403),
}
PERSONAS = list(EXPECTED)


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
def customer(salesperson):
    return enterprise(
        salesperson,
        legal_name="漳州九龍江食品有限公司",
        contacts=[{"name": "黃淑芬", "mobile": "13812345678", "email": "huang@example.com"}],
    )


@pytest.fixture
def as_persona(client, customer, request):
    """Log in as the parametrized persona (after the customer exists)."""

    def login(name: str):
        user = request.getfixturevalue(name)
        client.force_login(user)
        return client

    return login


def _snapshot(customer) -> tuple:
    return (
        Customer.objects.filter(pk=customer.pk).values().get(),
        list(Contact.objects.filter(customer=customer).values().order_by("pk")),
    )


class Unchanged:
    """Asserts after a refusal: same rows, no access-log row, no new event."""

    def __init__(self, customer):
        self.customer = customer
        self.before = _snapshot(customer)
        self.events = Event.objects.count()

    def check(self) -> None:
        assert _snapshot(self.customer) == self.before
        assert AccessLog.objects.count() == 0
        assert Event.objects.count() == self.events


@pytest.mark.parametrize("persona", PERSONAS)
def test_list(as_persona, customer, persona):
    listed = EXPECTED[persona][0]
    response = as_persona(persona).get(URL)
    assert response.status_code == 200
    assert (customer.pk in [item["id"] for item in response.json()["items"]]) is listed
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize("persona", PERSONAS)
def test_get(as_persona, customer, persona):
    expected = EXPECTED[persona][1]
    unchanged = Unchanged(customer)
    response = as_persona(persona).get(f"{URL}/{customer.pk}")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["contacts"][0]["mobile"] == "+86*******5678"
    else:
        assert response.json()["code"] == "not_found"
    unchanged.check()


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit(as_persona, customer, persona):
    expected = EXPECTED[persona][2]
    unchanged = Unchanged(customer)
    response = as_persona(persona).patch(
        f"{URL}/{customer.pk}", {"industry": "food"}, content_type="application/json"
    )
    assert response.status_code == expected
    if expected == 200:
        assert Customer.objects.get(pk=customer.pk).industry == "food"
        assert Event.objects.filter(verb="customer.updated").count() == 1
    else:
        assert response.json()["code"] == {403: "permission_denied", 404: "not_found"}[expected]
        unchanged.check()


@pytest.mark.parametrize("persona", PERSONAS)
def test_stage_action_follows_edit_rights(as_persona, customer, persona):
    expected = EXPECTED[persona][2]
    unchanged = Unchanged(customer)
    response = as_persona(persona).post(
        f"{URL}/{customer.pk}/qualify", {}, content_type="application/json"
    )
    assert response.status_code == expected
    if expected == 200:
        assert Customer.objects.get(pk=customer.pk).stage == "intentional"
    else:
        unchanged.check()


@pytest.mark.parametrize("target", ["customer", "contact"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_reveal(as_persona, customer, persona, target):
    expected = EXPECTED[persona][3]
    contact = customer.contacts.get()
    url = f"{URL}/{customer.pk}/reveal"
    if target == "contact":
        url = f"{URL}/{customer.pk}/contacts/{contact.pk}/reveal"
    unchanged = Unchanged(customer)
    response = as_persona(persona).post(
        url, {"purpose": "核對訂單"}, content_type="application/json"
    )
    assert response.status_code == expected
    if expected == 200:
        assert "+8613812345678" in response.content.decode()
        log = AccessLog.objects.get()
        assert (log.actor.username, log.purpose, log.object_id) == (
            response.wsgi_request.user.username,
            "核對訂單",
            contact.pk,
        )
    else:
        assert "13812345678" not in response.content.decode()
        unchanged.check()


@pytest.mark.parametrize("persona", PERSONAS)
def test_export(as_persona, customer, persona):
    listed, expected = EXPECTED[persona][0], EXPECTED[persona][4]
    unchanged = Unchanged(customer)
    response = as_persona(persona).get(f"{URL}/export", {"format": "xlsx"})
    assert response.status_code == expected
    if expected == 200:
        rows = read_xlsx_rows(b"".join(response.streaming_content))
        codes = [row[0] for row in rows[1:]]
        assert (customer.code in codes) is listed
        assert "13812345678" not in str(rows)
        assert Event.objects.filter(verb="customer.exported").count() == 1
        assert AccessLog.objects.count() == 0
    else:
        assert response.json()["code"] == "permission_denied"
        unchanged.check()


@pytest.mark.parametrize("persona", PERSONAS)
def test_create(as_persona, customer, persona):
    expected = EXPECTED[persona][5]
    unchanged = Unchanged(customer)
    body = {"kind": "individual", "legal_name": "林先生", "source": "referral"}
    response = as_persona(persona).post(URL, body, content_type="application/json")
    assert response.status_code == expected
    if expected == 201:
        assert response.json()["owner"] == response.wsgi_request.user.username
        assert Customer.objects.count() == 2
    else:
        assert Customer.objects.count() == 1
        unchanged.check()
