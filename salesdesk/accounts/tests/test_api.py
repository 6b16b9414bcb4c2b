"""API authentication and `GET /api/v1/me` (issue #2 item 12)."""

import pytest
from django.core.management import call_command

from salesdesk.accounts.models import ApiToken
from salesdesk.accounts.services import token_create, token_revoke
from salesdesk.audit.models import Event


def _token_for(user):
    return token_create(user=user, name="test", actor=user)[1]


def test_me_with_bearer_token(client, sales_admin):
    raw = _token_for(sales_admin)
    response = client.get("/api/v1/me", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "admin1"
    assert body["roles"] == ["sales_admin"]
    assert body["department_code"] == "sales-admin"


def test_token_from_createtoken_command_authenticates(client, salesperson, capsys):
    call_command("createtoken", "sales1")
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("sd_") and "\n" not in printed
    response = client.get("/api/v1/me", headers={"authorization": f"Bearer {printed}"})
    assert response.status_code == 200
    assert response.json()["username"] == "sales1"


@pytest.mark.parametrize(
    "header",
    ["Bearer sd_wrong", "Bearer ", "Token abc", "", "Bearer not-even-prefixed"],
)
def test_wrong_or_missing_token_gets_401_json(client, db, header):
    headers = {"authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthorized"
    assert set(body) == {"code", "message", "extra"}
    assert body["message"]


def test_revoked_token_gets_401(client, salesperson):
    token, raw = token_create(user=salesperson, name="t", actor=salesperson)
    token_revoke(token_id=token.pk, actor=salesperson)
    response = client.get("/api/v1/me", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_inactive_users_token_gets_401(client, salesperson):
    raw = _token_for(salesperson)
    salesperson.is_active = False
    salesperson.save()
    assert client.get("/api/v1/me", headers={"authorization": f"Bearer {raw}"}).status_code == 401


def test_session_auth_works_for_me(client, salesperson):
    client.force_login(salesperson)
    assert client.get("/api/v1/me").json()["username"] == "sales1"


def test_error_messages_follow_accept_language(client, db):
    zh = client.get("/api/v1/me", headers={"accept-language": "zh-TW"}).json()["message"]
    en = client.get("/api/v1/me", headers={"accept-language": "en"}).json()["message"]
    assert zh != en


def test_token_create_and_revoke_through_api(client, salesperson):
    client.force_login(salesperson)
    created = client.post("/api/v1/me/tokens", {"name": "ERP"}, content_type="application/json")
    assert created.status_code == 201
    raw = created.json()["token"]
    token = ApiToken.objects.get()
    assert token.digest != raw and raw not in token.digest  # only the digest is stored
    revoked = client.post(f"/api/v1/me/tokens/{token.pk}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    again = client.post(f"/api/v1/me/tokens/{token.pk}/revoke")
    assert again.status_code == 409
    assert again.json()["code"] == "already_revoked"


def test_cannot_revoke_someone_elses_token(client, salesperson, other_salesperson):
    token, _raw = token_create(user=other_salesperson, name="theirs", actor=other_salesperson)
    events_before = Event.objects.count()
    client.force_login(salesperson)
    response = client.post(f"/api/v1/me/tokens/{token.pk}/revoke")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Event.objects.count() == events_before


def test_token_name_required(client, salesperson):
    client.force_login(salesperson)
    response = client.post("/api/v1/me/tokens", {"name": "  "}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["extra"]["field"] == "name"
    assert ApiToken.objects.count() == 0
    assert Event.objects.count() == 0
