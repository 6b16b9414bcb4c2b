"""The risk API (R1.1, R1.2, R2.2): register, actions, events, matrix, credit scores;
refusals as 403/404/409/422 with nothing changed."""

import pytest
from django.test import Client

from salesdesk.audit.models import Event
from salesdesk.risk.models import ContingencyActivation, CreditScore, Risk

pytestmark = pytest.mark.req("R1.1", "R1.2", "R2.2")


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _post(client, url, body=None, **headers):
    return client.post(url, body or {}, content_type="application/json", headers=headers)


def test_risk_lifecycle_over_http(sales_manager, customer, make_order):
    api = _client(sales_manager)
    order = make_order()
    body = {
        "title": "交期風險",
        "category": "order_execution",
        "order": order.pk,
        "response_plan": "催生產",
        "contingency_plan": "外包生產",
    }
    created = _post(api, "/api/v1/risks", body, **{"Idempotency-Key": "r1"})
    assert created.status_code == 201
    risk = created.json()
    assert (risk["status"], risk["customer"], risk["order"]) == (
        "identified",
        customer.pk,
        order.pk,
    )
    assert risk["available_actions"] == ["assess", "close"]
    replay = _post(api, "/api/v1/risks", body, **{"Idempotency-Key": "r1"})
    assert (replay.status_code, replay.json()["id"]) == (200, risk["id"])
    url = f"/api/v1/risks/{risk['id']}"
    assessed = _post(api, f"{url}/assess", {"likelihood": 3, "impact": 4}).json()
    assert (assessed["level"], assessed["status"]) == ("high", "assessed")
    assert _post(api, f"{url}/treat").json()["status"] == "treated"
    activation = _post(api, f"{url}/activate-contingency", {"note": "已外包"})
    assert activation.status_code == 201 and activation.json()["activated_by"] == "manager"
    assert _post(api, f"{url}/monitor").json()["status"] == "monitored"
    refused = _post(api, f"{url}/close")
    assert refused.status_code == 422 and refused.json()["extra"]["field"] == "note"
    assert _post(api, f"{url}/close", {"note": "交貨完成"}).json()["status"] == "closed"
    assert _post(api, f"{url}/treat").status_code == 409
    verbs = [e["verb"] for e in api.get(f"{url}/events").json()]
    assert verbs == [
        "risk.closed",
        "risk.monitored",
        "risk.contingency_activated",
        "risk.treated",
        "risk.assessed",
        "risk.created",
    ]
    detail = api.get(url).json()
    assert detail["activations"][0]["note"] == "已外包" and detail["available_actions"] == [
        "reopen"
    ]
    listed = api.get("/api/v1/risks", {"level": "high", "status": "closed"}).json()
    assert listed["count"] == 1 and listed["items"][0]["number"] == risk["number"]


def test_refusals_over_http_change_nothing(risk, salesperson, other_salesperson, legal):
    before = Event.objects.count()
    url = f"/api/v1/risks/{risk.pk}"
    assert (
        _post(
            _client(salesperson), "/api/v1/risks", {"title": "x", "category": "other"}
        ).status_code
        == 403
    )
    assert _client(salesperson).get(url).status_code == 200
    assert (
        _post(_client(salesperson), f"{url}/assess", {"likelihood": 1, "impact": 1}).status_code
        == 403
    )
    assert _client(other_salesperson).get(url).status_code == 404
    assert _client(other_salesperson).get(f"{url}/events").status_code == 404
    patch = _client(legal).patch(url, {"title": "改"}, content_type="application/json")
    assert patch.status_code == 403
    assert _post(_client(legal), f"{url}/activate-contingency", {"note": "x"}).status_code == 403
    bad = _post(_client(legal), "/api/v1/risks", {"title": "x", "category": "weather"})
    assert bad.status_code == 422
    risk.refresh_from_db()
    assert risk.title == "大客戶付款延遲" and risk.status == "identified"
    assert Risk.objects.count() == 1 and ContingencyActivation.objects.count() == 0
    assert Event.objects.count() == before


def test_matrix_over_http(it_admin, sales_manager, outsider):
    assert _client(outsider).get("/api/v1/risks/matrix").status_code == 403
    current = _client(sales_manager).get("/api/v1/risks/matrix").json()
    assert current["scale"] == 5 and current["matrix"][4][4] == "critical"
    rows = [["low", "high"], ["high", "critical"]]
    refused = _client(sales_manager).put(
        "/api/v1/risks/matrix", {"scale": 2, "matrix": rows}, content_type="application/json"
    )
    assert refused.status_code == 403
    bad = _client(it_admin).put(
        "/api/v1/risks/matrix",
        {"scale": 2, "matrix": [["high", "low"], ["high", "high"]]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_risk_matrix"
    done = _client(it_admin).put(
        "/api/v1/risks/matrix", {"scale": 2, "matrix": rows}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["matrix"] == rows


def test_credit_score_over_http(customer, finance, salesperson, other_salesperson):
    url = f"/api/v1/customers/{customer.pk}/credit-score"
    empty = _client(salesperson).get(url).json()
    assert (empty["score"], empty["inputs"], empty["history"]) == (None, {}, [])
    assert _post(_client(salesperson), url).status_code == 403
    assert _client(other_salesperson).get(url).status_code == 404
    assert CreditScore.objects.count() == 0
    computed = _post(_client(finance), url)
    assert computed.status_code == 201
    body = computed.json()
    assert (body["score"], body["level"]) == (90, "low")
    assert body["inputs"]["history_months"] == 0 and body["inputs"]["penalties"]["history"] == 10.0
    shown = _client(salesperson).get(url).json()
    assert shown["score"] == 90 and len(shown["history"]) == 1
