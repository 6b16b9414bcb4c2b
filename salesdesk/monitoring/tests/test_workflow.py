"""Acknowledge and close (R3.1): the transition table, and refusals that change nothing."""

import pytest

from salesdesk.audit.models import Event
from salesdesk.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from salesdesk.monitoring.models import WarningStatus
from salesdesk.monitoring.services import warning_acknowledge, warning_close
from salesdesk.monitoring.tests.conftest import make_warning
from salesdesk.monitoring.workflow import WARNING
from salesdesk.testing.workflow import assert_transition_table

pytestmark = [pytest.mark.req("R3.1"), pytest.mark.django_db]


def _apply(warning, transition, actor):
    service = warning_acknowledge if transition.name == "acknowledge" else warning_close
    return service(actor=actor, warning_id=warning.pk, note="已與客戶確認付款計劃")


def test_transition_table(it_admin):
    counts = assert_transition_table(
        WARNING,
        make_subject=lambda state: make_warning(status=state, owner_role="admin"),
        actor=it_admin,
        apply=_apply,
    )
    assert counts == {"allowed": 3, "refused": 3}


def test_acknowledge_then_close_records_who_and_the_note(salesperson):
    warning = make_warning(owner=salesperson)
    warning_acknowledge(actor=salesperson, warning_id=warning.pk)
    warning_close(actor=salesperson, warning_id=warning.pk, note="  額度已調高  ")
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CLOSED
    assert (warning.acknowledged_by, warning.closed_by) == (salesperson, salesperson)
    assert warning.close_note == "額度已調高"
    verbs = list(Event.objects.filter(object_id=warning.pk).values_list("verb", "note"))
    assert verbs == [("warning.closed", "額度已調高"), ("warning.acknowledged", "")]


def _unchanged(warning, status="open"):
    warning.refresh_from_db()
    assert warning.status == status and warning.closed_at is None
    assert not Event.objects.filter(object_id=warning.pk, verb__startswith="warning.").exists()


def test_close_without_a_note_is_refused(salesperson):
    warning = make_warning(owner=salesperson)
    with pytest.raises(ValidationFailed) as refused:
        warning_close(actor=salesperson, warning_id=warning.pk, note="   ")
    assert "note" in refused.value.extra["fields"]
    _unchanged(warning)


def test_too_long_note_is_refused(salesperson):
    warning = make_warning(owner=salesperson)
    with pytest.raises(ValidationFailed):
        warning_acknowledge(actor=salesperson, warning_id=warning.pk, note="x" * 2001)
    _unchanged(warning)


def test_someone_elses_warning_is_not_found(salesperson, other_salesperson, legal):
    warning = make_warning(owner=salesperson)
    for person in (other_salesperson, legal):
        with pytest.raises(NotFound):
            warning_acknowledge(actor=person, warning_id=warning.pk)
        with pytest.raises(NotFound):
            warning_close(actor=person, warning_id=warning.pk, note="不是我的")
    _unchanged(warning)


def test_readers_who_see_everything_may_not_act(salesperson, supervisor, management):
    warning = make_warning(owner=salesperson)
    for person in (supervisor, management):
        with pytest.raises(PermissionDenied):
            warning_acknowledge(actor=person, warning_id=warning.pk)
    _unchanged(warning)


def test_closed_warning_cannot_be_acknowledged_or_closed_again(salesperson):
    warning = make_warning(owner=salesperson, status="closed", close_note="done")
    with pytest.raises(InvalidTransition):
        warning_acknowledge(actor=salesperson, warning_id=warning.pk)
    with pytest.raises(InvalidTransition):
        warning_close(actor=salesperson, warning_id=warning.pk, note="again")
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CLOSED and warning.close_note == "done"
    assert not Event.objects.filter(object_id=warning.pk).exists()


def test_role_members_and_team_leads_may_act(salesperson, finance, sales_manager):
    first = make_warning(owner=salesperson, owner_role="finance")
    warning_acknowledge(actor=finance, warning_id=first.pk)
    second = make_warning(owner=salesperson)
    warning_close(actor=sales_manager, warning_id=second.pk, note="已處理")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("acknowledged", "closed")
