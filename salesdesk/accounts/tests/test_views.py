"""Sign-in, throttling, language choice and the profile page (issue #2 items 4, 11)."""

import pytest
from django.conf import settings

from salesdesk.accounts.models import ApiToken
from salesdesk.accounts.tests.factories import PASSWORD
from salesdesk.audit.models import Event


@pytest.mark.parametrize(
    ("accept", "lang", "word"),
    [("zh-TW", "zh-hant", "登入"), ("zh-CN", "zh-hans", "登录"), ("en", "en", "Sign in")],
)
def test_login_page_language_from_browser(client, db, accept, lang, word):
    response = client.get("/accounts/login/", headers={"accept-language": accept})
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert word in html


def test_login_and_home(client, sales_admin):
    response = client.post("/accounts/login/", {"username": "admin1", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/", headers={"accept-language": "en"})
    assert home.status_code == 200
    assert "<h1>My work</h1>" in home.content.decode()


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_is_throttled_after_repeated_failures(client, sales_admin):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "admin1", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "admin1", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_language_switch_sets_cookie_and_profile(client, salesperson):
    client.force_login(salesperson)
    response = client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    salesperson.refresh_from_db()
    assert salesperson.language == "zh-hans"
    # The profile language wins over the browser's Accept-Language.
    home = client.get("/", headers={"accept-language": "en"})
    assert "我的待办" in home.content.decode()


def test_language_switch_refuses_unknown_language(client, salesperson):
    client.force_login(salesperson)
    response = client.post("/accounts/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    salesperson.refresh_from_db()
    assert salesperson.language == ""
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_language_switch_ignores_offsite_next(client, db):
    response = client.post(
        "/accounts/language/", {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_profile_creates_token_shown_once_and_revokes(client, salesperson):
    client.force_login(salesperson)
    client.post("/accounts/profile/tokens/", {"name": "Excel macro"})
    page = client.get("/accounts/profile/").content.decode()
    token = ApiToken.objects.get()
    assert 'id="new-token"' in page and token.prefix in page
    assert 'id="new-token"' not in client.get("/accounts/profile/").content.decode()
    client.post(f"/accounts/profile/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_profile_token_without_name_is_refused(client, salesperson):
    client.force_login(salesperson)
    response = client.post("/accounts/profile/tokens/", {"name": ""}, follow=True)
    assert ApiToken.objects.count() == 0
    assert Event.objects.count() == 0
    assert "alert-error" in response.content.decode()


def test_logout_needs_post(client, salesperson):
    client.force_login(salesperson)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_security_headers(client, db):
    response = client.get("/accounts/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
