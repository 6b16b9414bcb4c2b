"""The contracts JSON API (issue #5): drafts with Idempotency-Key, edits while drafting, the
countersign review scenarios, signing with the scan, activation refusals, obligations,
breaches, versions, files, PDF, history and the permission matrix."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.contracts.models import Contract, ContractReview, Obligation

URL = "/api/v1/contracts"
PDF = b"%PDF-1.4 signed contract"


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _post(client, url, body=None, **headers):
    return client.post(url, body or {}, content_type="application/json", headers=headers)


def _row(contract) -> dict:
    return model_to_dict(Contract.objects.get(pk=contract.pk))


def _current_reviews(client, contract) -> dict[str, str]:
    reviews = client.get(f"{URL}/{contract.pk}/reviews").json()
    last = max(r["round"] for r in reviews)
    return {r["role"]: r["decision"] for r in reviews if r["round"] == last}


def _approved(draft, sales_admin, legal, finance) -> None:
    assert _post(_client(sales_admin), f"{URL}/{draft.pk}/submit").status_code == 200
    assert _post(_client(legal), f"{URL}/{draft.pk}/approve").status_code == 200
    assert _post(_client(finance), f"{URL}/{draft.pk}/approve").status_code == 200


def _signed(draft, sales_admin, legal, finance) -> Client:
    _approved(draft, sales_admin, legal, finance)
    admin = _client(sales_admin)
    response = _post(admin, f"{URL}/{draft.pk}/start-signing", {"method": "mail", "originals": 2})
    assert response.status_code == 200 and response.json()["signing_method"] == "mail"
    today = timezone.localdate().isoformat()
    for party, name in (("company", "陳總經理"), ("customer", "林董事長")):
        body = {"party": party, "signatory": name, "signed_on": today, "seal": "合同專用章"}
        assert _post(admin, f"{URL}/{draft.pk}/sign", body).status_code == 200
    return admin


@pytest.fixture
def api(sales_admin):
    return _client(sales_admin)


# Drafting and edits (K1.1, K3.1)


@pytest.mark.req("K1.1")
def test_create_draft_with_idempotency_key(
    api, contract_type, customer, approved_order, sales_admin
):
    body = {
        "contract_type": contract_type.pk,
        "customer": customer.pk,
        "orders": [approved_order.pk],
        "end_date": "2027-12-31",
    }
    response = _post(api, URL, body, **{"Idempotency-Key": "k-1"})
    assert response.status_code == 201
    data = response.json()
    contract = Contract.objects.get()
    assert (data["id"], data["number"], data["status"]) == (
        contract.pk,
        contract.number,
        "drafting",
    )
    assert data["amount"] == "226.00" and data["amount_in_words"] == "貳佰貳拾陸元整"
    assert data["orders"] == [
        {
            "id": approved_order.pk,
            "number": approved_order.number,
            "status": "approved",
            "gross_amount": "226.00",
        }
    ]
    assert data["available_actions"] == ["submit", "void"] and data["drafter"] == "admin1"
    assert customer.legal_name in data["body"]
    replay = _post(api, URL, body, **{"Idempotency-Key": "k-1"})
    assert replay.status_code == 200 and replay.json()["id"] == contract.pk
    assert Contract.objects.count() == 1


def test_create_refusals(api, contract_type, customer, salesperson, other_salesperson):
    before = Event.objects.count()
    response = _post(api, URL, {"contract_type": contract_type.pk, "customer": customer.pk + 99})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = _post(api, URL, {"contract_type": contract_type.pk, "customer": customer.pk, "x": 1})
    assert response.status_code == 422 and "x" in response.json()["extra"]["fields"]
    body = {"contract_type": contract_type.pk, "customer": customer.pk}
    response = _post(_client(salesperson), URL, body)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not Contract.objects.exists() and Event.objects.count() == before


@pytest.mark.req("K1.1", "K3.1")
def test_patch_while_drafting_keeps_versions_and_dates(api, draft):
    response = api.patch(
        f"{URL}/{draft.pk}",
        {"title": "年度銷售合同", "body": draft.body + "\n<p>第六條 保密。</p>"},
        content_type="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["title"], data["version"], data["end_date"]) == ("年度銷售合同", 2, "2027-12-31")
    versions = api.get(f"{URL}/{draft.pk}/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert "+<p>第六條 保密。</p>" in versions[0]["diff"] and versions[1]["diff"] == ""
    _post(api, f"{URL}/{draft.pk}/submit")
    before = (_row(draft), Event.objects.count())
    response = api.patch(f"{URL}/{draft.pk}", {"title": "x"}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "not_drafting"
    assert (_row(draft), Event.objects.count()) == before


@pytest.mark.req("K3.2", "K3.3")
def test_list_filters(api, draft, customer, other_salesperson):
    def numbers(**query):
        return [c["number"] for c in api.get(URL, query).json()["items"]]

    assert numbers() == [draft.number]
    assert numbers(customer=customer.pk, status="drafting", amount_min="226") == [draft.number]
    assert numbers(q=draft.number[-4:], contract_type=draft.contract_type_id) == [draft.number]
    assert numbers(amount_max="100") == numbers(signed_from="2020-01-01") == []
    assert numbers(expiring=True) == numbers(expired=True) == []
    other = _client(other_salesperson).get(URL).json()
    assert other == {"count": 0, "items": []}


# Review scenarios (K1.2)


@pytest.mark.req("K1.2")
def test_both_reviewers_approve(api, draft, legal, finance):
    response = _post(api, f"{URL}/{draft.pk}/submit")
    assert response.json()["status"] == "in_review"
    assert _current_reviews(api, draft) == {"legal": "pending", "finance": "pending"}
    finance_api = _client(finance)
    assert finance_api.get(f"{URL}/{draft.pk}").json()["available_actions"] == [
        "approve",
        "reject",
    ]
    response = _post(_client(legal), f"{URL}/{draft.pk}/approve", {"comment": "條款可"})
    assert response.json()["status"] == "in_review"
    response = _post(finance_api, f"{URL}/{draft.pk}/approve")
    assert response.json()["status"] == "approved"
    reviews = api.get(f"{URL}/{draft.pk}/reviews").json()
    assert {(r["role"], r["decision"], r["reviewer"], r["comment"]) for r in reviews} == {
        ("legal", "approved", "legal1", "條款可"),
        ("finance", "approved", "finance1", ""),
    }


@pytest.mark.req("K1.2")
def test_finance_rejects_then_only_finance_reviews_again(api, draft, legal, finance):
    _post(api, f"{URL}/{draft.pk}/submit")
    _post(_client(legal), f"{URL}/{draft.pk}/approve")
    finance_api = _client(finance)
    before = Event.objects.count()
    response = _post(finance_api, f"{URL}/{draft.pk}/reject", {"comment": " "})
    assert response.status_code == 422 and Event.objects.count() == before
    response = _post(finance_api, f"{URL}/{draft.pk}/reject", {"comment": "缺報價單附件"})
    assert response.status_code == 200 and response.json()["status"] == "drafting"
    assert _post(api, f"{URL}/{draft.pk}/submit").status_code == 200
    assert _current_reviews(api, draft) == {"legal": "approved", "finance": "pending"}
    before = (_row(draft), Event.objects.count())
    response = _post(_client(legal), f"{URL}/{draft.pk}/approve")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert (_row(draft), Event.objects.count()) == before
    response = _post(finance_api, f"{URL}/{draft.pk}/approve")
    assert response.json()["status"] == "approved"


@pytest.mark.req("K1.2")
def test_text_change_sends_it_to_every_reviewer_again(api, draft, legal, finance):
    _post(api, f"{URL}/{draft.pk}/submit")
    _post(_client(legal), f"{URL}/{draft.pk}/approve")
    _post(_client(finance), f"{URL}/{draft.pk}/reject", {"comment": "違約金太高"})
    body = {"body": draft.body.replace("百分之五", "百分之三")}
    assert api.patch(f"{URL}/{draft.pk}", body, content_type="application/json").status_code == 200
    _post(api, f"{URL}/{draft.pk}/submit")
    assert _current_reviews(api, draft) == {"legal": "pending", "finance": "pending"}
    assert ContractReview.objects.filter(contract=draft).count() == 4


# Signing, activation and execution (K2, K4)


@pytest.mark.req("K2.1")
def test_activation_without_the_scan_is_refused_and_changes_nothing(
    draft, sales_admin, legal, finance
):
    admin = _signed(draft, sales_admin, legal, finance)
    before = (_row(draft), Event.objects.count())
    response = _post(admin, f"{URL}/{draft.pk}/activate")
    assert response.status_code == 409
    error = response.json()
    assert error["code"] == "signing_incomplete"
    assert error["extra"]["missing"] == ["the signed scan"]
    assert "the signed scan" in error["message"]
    assert (_row(draft), Event.objects.count()) == before
    assert not Obligation.objects.exists()


@pytest.mark.req("K2.1", "K2.2", "K4.1", "K4.2")
def test_signing_scan_activation_fulfilment_and_breach(
    draft, sales_admin, legal, finance, approved_order
):
    admin = _signed(draft, sales_admin, legal, finance)
    assert admin.get(f"{URL}/{draft.pk}").json()["available_actions"] == [
        "activate",
        "void",
        "sign",
        "scan",
    ]
    upload = SimpleUploadedFile("signed.pdf", PDF, "application/pdf")
    response = admin.post(f"{URL}/{draft.pk}/scan", {"file": upload})
    assert response.status_code == 201 and response.json()["kind"] == "signed_scan"
    files = admin.get(f"{URL}/{draft.pk}/attachments").json()
    assert [(f["name"], f["url"]) for f in files] == [("signed.pdf", f"/files/{files[0]['id']}/")]
    data = _post(admin, f"{URL}/{draft.pk}/activate").json()
    today = timezone.localdate()
    assert (data["status"], data["signed_on"]) == ("active", today.isoformat())
    assert data["original_due_on"] == (today + timedelta(days=30)).isoformat()
    assert {s["party"]: s["signatory"] for s in data["signatures"]} == {
        "company": "陳總經理",
        "customer": "林董事長",
    }
    assert "original-received" in data["available_actions"]
    obligations = admin.get(f"{URL}/{draft.pk}/obligations").json()
    assert [(o["kind"], o["status"], o["order"]) for o in obligations] == [
        ("delivery", "open", approved_order.number),
        ("payment", "open", approved_order.number),
    ]
    Obligation.objects.filter(pk=obligations[0]["id"]).update(due_on=today - timedelta(days=3))
    assert admin.get(f"{URL}/{draft.pk}/obligations").json()[0]["status"] == "overdue"
    response = _post(_client(finance), f"/api/v1/obligations/{obligations[1]['id']}/fulfil", {})
    assert response.json()["status"] == "fulfilled_on_time"
    response = _post(admin, f"/api/v1/obligations/{obligations[0]['id']}/fulfil", {})
    assert response.json()["status"] == "fulfilled_late"
    response = _post(
        admin,
        f"{URL}/{draft.pk}/breaches",
        {"party": "company", "description": "交貨延遲", "obligation": obligations[0]["id"]},
    )
    assert response.status_code == 201 and response.json()["status"] == "open"
    breach = response.json()["id"]
    response = _post(admin, f"/api/v1/breaches/{breach}/resolve", {"outcome": "減價 2%"})
    assert response.json()["status"] == "resolved"
    assert _post(admin, f"{URL}/{draft.pk}/original-received").json()["original_received_at"]
    assert _post(admin, f"{URL}/{draft.pk}/complete").json()["status"] == "completed"
    verbs = [e["verb"] for e in admin.get(f"{URL}/{draft.pk}/events").json()]
    assert {"contract.activated", "contract.breach_recorded", "contract.completed"} <= set(verbs)


def test_complete_with_open_obligations_is_refused(draft, sales_admin, legal, finance):
    from salesdesk.contracts.tests.test_views import activate

    contract = activate(draft, sales_admin, legal, finance)
    admin = _client(sales_admin)
    before = (_row(contract), Event.objects.count())
    response = _post(admin, f"{URL}/{contract.pk}/complete")
    assert response.status_code == 409 and response.json()["code"] == "obligations_open"
    assert (_row(contract), Event.objects.count()) == before
    response = _post(admin, f"{URL}/{contract.pk}/void", {"reason": "錯誤"})
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    response = _post(admin, f"{URL}/{contract.pk}/terminate", {"reason": "客戶破產"})
    assert response.json()["status"] == "terminated" and response.json()["end_reason"] == "客戶破產"


# Permission matrix


def test_salesperson_reads_their_customers_contract_only(draft, salesperson, other_salesperson):
    client = _client(salesperson)
    data = client.get(f"{URL}/{draft.pk}").json()
    assert data["number"] == draft.number and data["available_actions"] == []
    assert client.get(f"{URL}/{draft.pk}/reviews").status_code == 200
    before = (_row(draft), Event.objects.count())
    for action, body in (("submit", {}), ("void", {"reason": "x"})):
        response = _post(client, f"{URL}/{draft.pk}/{action}", body)
        assert response.status_code == 403, action
    other = _client(other_salesperson)
    for url in ("", "/reviews", "/obligations", "/versions", "/attachments", "/events", "/pdf"):
        assert other.get(f"{URL}/{draft.pk}{url}").status_code == 404, url
    assert _post(other, f"{URL}/{draft.pk}/submit").status_code == 404
    assert (_row(draft), Event.objects.count()) == before


def test_supervisor_reads_and_every_write_is_refused(draft, sales_admin, supervisor, legal):
    _post(_client(sales_admin), f"{URL}/{draft.pk}/submit")
    client = _client(supervisor)
    assert client.get(f"{URL}/{draft.pk}").json()["available_actions"] == []
    before = (_row(draft), Event.objects.count(), ContractReview.objects.count())
    for action, body in (
        ("approve", {}),
        ("reject", {"comment": "no"}),
        ("void", {"reason": "x"}),
        ("start-signing", {"method": "mail"}),
    ):
        response = _post(client, f"{URL}/{draft.pk}/{action}", body)
        assert response.status_code == 403, action
    response = client.patch(f"{URL}/{draft.pk}", {"title": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert (_row(draft), Event.objects.count(), ContractReview.objects.count()) == before
    response = _post(_client(legal), f"{URL}/{draft.pk}/start-signing", {"method": "mail"})
    assert response.status_code == 403


def test_pdf_endpoint_returns_a_pdf(api, draft):
    response = api.get(f"{URL}/{draft.pk}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and draft.number in response["Content-Disposition"]


def test_openapi_lists_the_contract_actions(api):
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    for action in ("submit", "approve", "reject", "start-signing", "sign", "scan", "activate"):
        assert f"{URL}/{{contract_id}}/{action}" in paths
    assert "/api/v1/obligations/{obligation_id}/fulfil" in paths
