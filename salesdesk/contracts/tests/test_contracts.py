"""Contracts: drafting, countersign review, signing, execution and expiry (K1–K4)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from salesdesk.audit.models import Event
from salesdesk.contracts.models import Contract, ContractReview, Obligation
from salesdesk.contracts.services import (
    breach_record,
    contract_activate,
    contract_attach_scan,
    contract_review,
    contract_sign,
    contract_start_signing,
    contract_submit,
    contract_update,
    contracts_expire,
    obligation_fulfil,
    obligations_alert,
)
from salesdesk.contracts.workflow import CONTRACT
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.notifications.models import Notification
from salesdesk.orders.rules import payment_term_label
from salesdesk.testing.workflow import assert_transition_table

PDF = b"%PDF-1.4 signed contract"


def _reviews(contract):
    contract.refresh_from_db()
    return {r.role: r.decision for r in contract.reviews.filter(round=contract.review_round)}


@pytest.mark.req("K1.1")
def test_draft_prefills_parties_goods_amount_and_keeps_versions(draft, customer, sales_admin):
    assert draft.number.startswith("CT-") and draft.status == "drafting"
    assert customer.legal_name in draft.body and "深溝球軸承" in draft.body
    assert "貳佰貳拾陸元整" in draft.body  # 226.00 incl. tax, in capitals
    with translation.override("zh-hant"):  # the contract language, not the drafter's screen
        terms = str(payment_term_label("net_30"))
    assert "違約責任" in draft.body and terms in draft.body
    contract_update(
        actor=sales_admin,
        contract_id=draft.pk,
        data={"body": draft.body + "\n<p>第六條 保密。</p>"},
    )
    draft.refresh_from_db()
    assert draft.version == 2
    assert "+<p>第六條 保密。</p>" in draft.versions.get(number=2).diff


@pytest.mark.req("K1.2")
def test_both_reviewers_approve(draft, sales_admin, legal, finance):
    contract_submit(actor=sales_admin, contract_id=draft.pk)
    assert _reviews(draft) == {"legal": "pending", "finance": "pending"}
    contract_review(actor=legal, contract_id=draft.pk, approve=True)
    draft.refresh_from_db()
    assert draft.status == "in_review"
    contract_review(actor=finance, contract_id=draft.pk, approve=True, comment="付款條件可")
    draft.refresh_from_db()
    assert draft.status == "approved"


@pytest.mark.req("K1.2")
def test_finance_rejects_then_only_finance_reviews_again(draft, sales_admin, legal, finance):
    contract_submit(actor=sales_admin, contract_id=draft.pk)
    contract_review(actor=legal, contract_id=draft.pk, approve=True)
    contract_review(actor=finance, contract_id=draft.pk, approve=False, comment="缺報價單附件")
    draft.refresh_from_db()
    assert draft.status == "drafting"
    contract_submit(actor=sales_admin, contract_id=draft.pk)
    assert _reviews(draft) == {"legal": "approved", "finance": "pending"}
    with pytest.raises(PermissionDenied):
        contract_review(actor=legal, contract_id=draft.pk, approve=True)
    contract_review(actor=finance, contract_id=draft.pk, approve=True)
    draft.refresh_from_db()
    assert draft.status == "approved"


@pytest.mark.req("K1.2")
def test_text_change_voids_earlier_approvals(draft, sales_admin, legal, finance):
    contract_submit(actor=sales_admin, contract_id=draft.pk)
    contract_review(actor=legal, contract_id=draft.pk, approve=True)
    contract_review(actor=finance, contract_id=draft.pk, approve=False, comment="違約金太高")
    contract_update(
        actor=sales_admin,
        contract_id=draft.pk,
        data={"body": draft.body.replace("百分之五", "百分之三")},
    )
    contract_submit(actor=sales_admin, contract_id=draft.pk)
    assert _reviews(draft) == {"legal": "pending", "finance": "pending"}


@pytest.mark.req("K1.2", "R2.3")
def test_large_amount_or_risky_grade_adds_management(draft, sales_admin, boss, customer):
    type(customer).objects.filter(pk=customer.pk).update(grade="D")
    contract_submit(actor=sales_admin, contract_id=draft.pk)
    assert set(_reviews(draft)) == {"legal", "finance", "management"}


def test_review_refusals_change_nothing(draft, sales_admin, legal, salesperson):
    contract_submit(actor=sales_admin, contract_id=draft.pk)
    before = Event.objects.count()
    with pytest.raises(ValidationFailed):
        contract_review(actor=legal, contract_id=draft.pk, approve=False, comment=" ")
    with pytest.raises(PermissionDenied):
        contract_review(actor=salesperson, contract_id=draft.pk, approve=True)
    assert _reviews(draft) == {"legal": "pending", "finance": "pending"}
    assert Event.objects.count() == before


def _approved(draft, sales_admin, legal, finance):
    contract_submit(actor=sales_admin, contract_id=draft.pk)
    contract_review(actor=legal, contract_id=draft.pk, approve=True)
    contract_review(actor=finance, contract_id=draft.pk, approve=True)
    return contract_start_signing(actor=sales_admin, contract_id=draft.pk, method="in_person")


def _sign_both(contract, actor):
    today = timezone.localdate()
    contract_sign(
        actor=actor,
        contract_id=contract.pk,
        party="company",
        signatory="陳總經理",
        seal="合同專用章",
        signed_on=today,
    )
    contract_sign(
        actor=actor,
        contract_id=contract.pk,
        party="customer",
        signatory="林董事長",
        seal="公司印章",
        signed_on=today,
    )


@pytest.mark.req("K2.1", "K2.2")
def test_activation_without_signed_scan_is_refused_and_changes_nothing(
    draft, sales_admin, legal, finance
):
    contract = _approved(draft, sales_admin, legal, finance)
    _sign_both(contract, sales_admin)
    before = Event.objects.count()
    with pytest.raises(Conflict) as info:
        contract_activate(actor=sales_admin, contract_id=contract.pk)
    assert info.value.code == "signing_incomplete"
    contract.refresh_from_db()
    assert contract.status == "signing" and contract.signed_on is None
    assert not Obligation.objects.exists() and Event.objects.count() == before


@pytest.mark.req("K2.1", "K2.2", "K4.1")
def test_activation_derives_obligations_and_original_due(
    draft, sales_admin, legal, finance, approved_order
):
    contract = _approved(draft, sales_admin, legal, finance)
    _sign_both(contract, sales_admin)
    contract_attach_scan(
        actor=sales_admin,
        contract_id=contract.pk,
        upload=SimpleUploadedFile("signed.pdf", PDF, "application/pdf"),
    )
    contract = contract_activate(actor=sales_admin, contract_id=contract.pk)
    assert contract.status == "active" and contract.signed_on == timezone.localdate()
    assert contract.original_due_on == contract.signed_on + timedelta(days=30)
    kinds = sorted(contract.obligations.values_list("kind", "party", "due_on"))
    delivery = approved_order.requested_delivery_date
    assert kinds == [
        ("delivery", "company", delivery),
        ("payment", "customer", delivery + timedelta(days=30)),
    ]


@pytest.mark.req("K4.2")
def test_overdue_obligation_alerts_once(draft, sales_admin, legal, finance, warehouse):
    contract = _approved(draft, sales_admin, legal, finance)
    _sign_both(contract, sales_admin)
    contract_attach_scan(
        actor=sales_admin,
        contract_id=contract.pk,
        upload=SimpleUploadedFile("s.pdf", PDF, "application/pdf"),
    )
    contract_activate(actor=sales_admin, contract_id=contract.pk)
    later = date.today() + timedelta(days=400)
    assert obligations_alert(actor=sales_admin, today=later) == 2
    assert obligations_alert(actor=sales_admin, today=later) == 0
    assert Notification.objects.filter(recipient=finance).count() == 1
    assert Notification.objects.filter(recipient=sales_admin).count() == 2
    payment = contract.obligations.get(kind="payment")
    with pytest.raises(NotFound):
        obligation_fulfil(actor=warehouse, obligation_id=payment.pk)
    with pytest.raises(PermissionDenied):
        obligation_fulfil(actor=legal, obligation_id=payment.pk)
    payment.refresh_from_db()
    assert payment.fulfilled_on is None
    obligation_fulfil(actor=finance, obligation_id=payment.pk, evidence="銀行水單")
    breach_record(
        actor=sales_admin,
        contract_id=contract.pk,
        party="company",
        description="交貨延遲",
        remedy="減價 2%",
    )
    assert contract.breaches.count() == 1


@pytest.mark.req("K3.3")
def test_expiry_job(draft, sales_admin, legal, finance, system_user):
    contract = _approved(draft, sales_admin, legal, finance)
    _sign_both(contract, sales_admin)
    contract_attach_scan(
        actor=sales_admin,
        contract_id=contract.pk,
        upload=SimpleUploadedFile("s.pdf", PDF, "application/pdf"),
    )
    contract_activate(actor=sales_admin, contract_id=contract.pk)
    assert contracts_expire(actor=system_user, today=date(2027, 12, 31)) == 0
    assert contracts_expire(actor=system_user, today=date(2028, 1, 1)) == 1
    contract.refresh_from_db()
    assert contract.status == "expired"
    assert Event.objects.filter(verb="contract.expired", actor=system_user).count() == 1


def test_transition_table(draft, sales_admin, it_admin):
    from django.contrib.auth.models import Permission

    it_admin.user_permissions.add(*Permission.objects.filter(content_type__app_label="contracts"))
    it_admin = type(it_admin).objects.get(pk=it_admin.pk)

    def make(state):
        contract = Contract.objects.get(pk=draft.pk)
        contract.pk = None
        contract.number = f"T-{Contract.objects.count()}"
        contract.drafter = it_admin
        contract.status = state
        contract.save()
        return contract

    counts = assert_transition_table(CONTRACT, make_subject=make, actor=it_admin)
    assert counts["allowed"] == 12


def test_other_salesperson_cannot_see_contract(draft, other_salesperson):
    with pytest.raises(NotFound):
        contract_submit(actor=other_salesperson, contract_id=draft.pk)
    assert not ContractReview.objects.exists()
