"""The API shell: OpenAPI, local docs, error bodies, health check (issue #2 item 12)."""

import re

from openapi_spec_validator import validate


def test_openapi_is_valid(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/me" in spec["paths"]
    assert "/api/v1/work" in spec["paths"]


def test_docs_page_loads_only_local_assets(client, salesperson):
    client.force_login(salesperson)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls
    assert all(url.startswith("/") for url in urls), urls
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_unknown_api_path_is_404(client, salesperson):
    client.force_login(salesperson)
    response = client.get("/api/v1/policies/no.such.policy")
    assert response.status_code in (403, 404)


def test_not_found_body(client, it_admin):
    client.force_login(it_admin)
    response = client.get("/api/v1/policies/no.such.policy")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_validation_error_body_names_fields(client, salesperson):
    client.force_login(salesperson)
    response = client.post("/api/v1/me/tokens", {}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert "name" in body["extra"]["fields"]


def test_malformed_json_is_400_or_422(client, salesperson):
    client.force_login(salesperson)
    response = client.post("/api/v1/me/tokens", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert set(response.json()) == {"code", "message", "extra"}


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
