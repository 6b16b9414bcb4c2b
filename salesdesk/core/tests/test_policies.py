"""Company rules as data with defaults, edited by admins only (DESIGN §4)."""

import pytest

from salesdesk.audit.models import Event
from salesdesk.core import policies
from salesdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from salesdesk.core.models import Policy


def test_default_until_changed(db):
    assert policies.value("mail.max_attempts") == 5


def test_admin_changes_policy_with_one_event(it_admin):
    assert policies.policy_set(key="mail.max_attempts", raw_value="7", actor=it_admin) == 7
    assert policies.value("mail.max_attempts") == 7
    event = Event.objects.get(verb="policy.changed")
    assert event.data == {"key": "mail.max_attempts", "old": 5, "new": 7}
    assert event.actor == it_admin


@pytest.mark.parametrize("raw", ["abc", "0", "21", ""])
def test_invalid_value_refused_and_nothing_changes(it_admin, raw):
    with pytest.raises(ValidationFailed) as info:
        policies.policy_set(key="mail.max_attempts", raw_value=raw, actor=it_admin)
    assert info.value.code == "invalid_policy_value"
    assert info.value.field == "value"
    assert not Policy.objects.exists()
    assert not Event.objects.exists()


def test_non_admin_cannot_change_policy(sales_admin, supervisor):
    for user in (sales_admin, supervisor):
        with pytest.raises(PermissionDenied):
            policies.policy_set(key="mail.max_attempts", raw_value="7", actor=user)
    assert not Policy.objects.exists()
    assert not Event.objects.exists()


def test_unknown_policy_is_not_found(it_admin):
    with pytest.raises(NotFound):
        policies.policy_set(key="no.such", raw_value="1", actor=it_admin)


def test_registering_a_bad_default_fails():
    with pytest.raises(ValidationFailed):
        policies.register("test.bad_default", 99, "x", kind="int", maximum=10)


def test_policy_api_list_get_patch_events(client, it_admin):
    client.force_login(it_admin)
    listed = client.get("/api/v1/policies").json()
    assert any(p["key"] == "mail.max_attempts" and p["value"] == 5 for p in listed)
    patched = client.patch(
        "/api/v1/policies/mail.max_attempts",
        {"value": 3, "note": "fewer"},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["value"] == 3
    bad = client.patch(
        "/api/v1/policies/mail.max_attempts", {"value": "many"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_policy_value"
    events = client.get("/api/v1/policies/mail.max_attempts/events").json()
    assert [e["verb"] for e in events] == ["policy.changed"]
    assert events[0]["note"] == "fewer"


def test_policy_api_forbidden_for_salesperson(client, salesperson):
    client.force_login(salesperson)
    assert client.get("/api/v1/policies").status_code == 403
    response = client.patch(
        "/api/v1/policies/mail.max_attempts", {"value": 3}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Policy.objects.exists()


def test_policy_pages(client, it_admin):
    client.force_login(it_admin)
    assert "mail.max_attempts" in client.get("/settings/policies/").content.decode()
    response = client.post("/settings/policies/mail.max_attempts/", {"value": "4"})
    assert response.status_code == 302
    assert policies.value("mail.max_attempts") == 4
    bad = client.post(
        "/settings/policies/mail.max_attempts/", {"value": "x"}, headers={"hx-request": "true"}
    )
    assert bad.status_code == 422
    assert "errorlist" in bad.content.decode()
    assert policies.value("mail.max_attempts") == 4


def test_policy_page_forbidden_for_salesperson(client, salesperson):
    client.force_login(salesperson)
    assert client.get("/settings/policies/").status_code == 403
    assert client.post("/settings/policies/mail.max_attempts/", {"value": "4"}).status_code == 403
    assert not Policy.objects.exists()


def test_values_are_read_once_inside_frozen_and_a_change_is_seen(
    it_admin, django_assert_num_queries
):
    with policies.frozen():
        policies.value("mail.max_attempts")
        with django_assert_num_queries(0):
            assert policies.value("mail.max_attempts") == 5
        policies.policy_set(key="mail.max_attempts", raw_value="6", actor=it_admin)
        assert policies.value("mail.max_attempts") == 6
