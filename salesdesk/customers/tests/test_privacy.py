"""Confidentiality: reveal with purpose and access log, person export and erasure, NDA (C3)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesdesk.audit.models import AccessLog, Event
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.customers.models import Contact, DataSharingAgreement
from salesdesk.customers.selectors import masked_contact
from salesdesk.customers.services import (
    contact_erase,
    contact_export_personal_data,
    contact_reveal,
    sharing_register,
    sharing_revoke,
    sharing_valid_agreement,
)
from salesdesk.customers.tests.factories import enterprise

pytestmark = pytest.mark.req("C3.1", "C3.3", "C3.4")


@pytest.fixture
def contact(salesperson):
    customer = enterprise(
        salesperson,
        contacts=[{"name": "王大明", "mobile": "13812345678", "email": "wang@example.com"}],
    )
    return customer.contacts.get()


def test_masked_contact_hides_values(contact):
    shown = masked_contact(contact)
    assert shown["mobile"] != contact.mobile and shown["mobile"].endswith("5678")
    assert "wang@" not in shown["email"] and shown["name"] != "王大明"


def test_reveal_logs_who_what_why(contact, salesperson):
    values = contact_reveal(actor=salesperson, contact_id=contact.pk, purpose="確認送貨")
    assert values == {
        "name": "王大明",
        "mobile": "+8613812345678",
        "phone": "",
        "email": "wang@example.com",
    }
    log = AccessLog.objects.get()
    assert (log.actor, log.purpose, log.fields) == (
        salesperson,
        "確認送貨",
        ["email", "mobile", "name", "phone"],
    )


def test_reveal_needs_purpose(contact, salesperson):
    with pytest.raises(ValidationFailed) as info:
        contact_reveal(actor=salesperson, contact_id=contact.pk, purpose=" ")
    assert info.value.field == "purpose"
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("persona", ["other_salesperson", "outsider", "it_admin"])
def test_reveal_refused_for_those_who_cannot_see(request, contact, persona):
    with pytest.raises(NotFound):
        contact_reveal(actor=request.getfixturevalue(persona), contact_id=contact.pk, purpose="x y")
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("persona", ["supervisor", "legal"])
def test_readers_see_but_may_not_reveal(request, contact, persona):
    with pytest.raises(PermissionDenied):
        contact_reveal(
            actor=request.getfixturevalue(persona), contact_id=contact.pk, purpose="inspection"
        )
    assert not AccessLog.objects.exists()


def test_finance_and_team_admin_may_reveal(contact, finance, sales_admin):
    contact_reveal(actor=finance, contact_id=contact.pk, purpose="催款")
    contact_reveal(actor=sales_admin, contact_id=contact.pk, purpose="確認訂單")
    assert AccessLog.objects.count() == 2


def test_export_person_data_and_erase(contact, sales_admin, salesperson):
    data = contact_export_personal_data(
        actor=sales_admin, contact_id=contact.pk, purpose="當事人查閱請求"
    )
    assert data["name"] == "王大明" and data["customer"] == contact.customer.legal_name
    with pytest.raises(PermissionDenied):
        contact_erase(actor=salesperson, contact_id=contact.pk, reason="請求刪除")
    contact_erase(actor=sales_admin, contact_id=contact.pk, reason="當事人要求刪除")
    contact.refresh_from_db()
    assert (contact.name, contact.mobile, contact.email) == ("[erased]", "", "")
    assert contact.customer.pk and Contact.objects.filter(pk=contact.pk).exists()
    assert Event.objects.filter(verb="contact.erased").count() == 1
    with pytest.raises(Conflict):
        contact_reveal(actor=sales_admin, contact_id=contact.pk, purpose="again")
    with pytest.raises(Conflict):
        contact_erase(actor=sales_admin, contact_id=contact.pk, reason="again")


def _nda(**overrides):
    today = timezone.localdate()
    return {
        "recipient": "信用調查公司",
        "scope": "客戶名稱與統編",
        "document": SimpleUploadedFile("nda.pdf", b"%PDF-1.4 test", "application/pdf"),
        "valid_from": today - timedelta(days=1),
        "valid_until": today + timedelta(days=30),
        **overrides,
    }


def test_sharing_requires_valid_nda(sales_admin, salesperson):
    with pytest.raises(PermissionDenied) as info:
        sharing_valid_agreement(actor=sales_admin, agreement_id=None)
    assert info.value.code == "nda_required"
    agreement = sharing_register(actor=sales_admin, **_nda())
    assert sharing_valid_agreement(actor=sales_admin, agreement_id=agreement.pk) == agreement
    with pytest.raises(PermissionDenied):
        sharing_valid_agreement(actor=salesperson, agreement_id=agreement.pk)
    sharing_revoke(actor=sales_admin, agreement_id=agreement.pk, reason="合作結束")
    with pytest.raises(PermissionDenied):
        sharing_valid_agreement(actor=sales_admin, agreement_id=agreement.pk)


def test_expired_nda_refused(sales_admin):
    today = timezone.localdate()
    agreement = sharing_register(
        actor=sales_admin,
        **_nda(valid_from=today - timedelta(days=60), valid_until=today - timedelta(days=1)),
    )
    with pytest.raises(PermissionDenied):
        sharing_valid_agreement(actor=sales_admin, agreement_id=agreement.pk)


def test_sharing_register_validates(sales_admin):
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as info:
        sharing_register(
            actor=sales_admin,
            **_nda(recipient="", document=None, valid_until=today - timedelta(days=5)),
        )
    assert set(info.value.extra["fields"]) == {"recipient", "document", "valid_until"}
    assert not DataSharingAgreement.objects.exists() and not Event.objects.exists()
