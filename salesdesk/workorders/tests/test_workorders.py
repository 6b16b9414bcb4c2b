"""Work orders: the department's queue, promised dates and progress (O2.3, O3.1, O4.1)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.audit.models import Event
from salesdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from salesdesk.testing.workflow import assert_transition_table
from salesdesk.workorders.models import WorkOrder
from salesdesk.workorders.services import (
    work_order_accept,
    work_order_create,
    work_order_decline,
    work_order_progress,
)
from salesdesk.workorders.workflow import WORK
from salesdesk.workqueue.registry import items_for


@pytest.fixture
def producer(db):
    return UserFactory(username="prod1", roles=["production"], department__code="production")


def _work(actor, **kw):
    return work_order_create(actor=actor, kind="production", **kw)


def test_transition_table(producer):
    def make(state):
        work = _work(producer)
        WorkOrder.objects.filter(pk=work.pk).update(status=state)
        work.refresh_from_db()
        return work

    counts = assert_transition_table(WORK, make_subject=make, actor=producer)
    assert counts == {"allowed": 6, "refused": 14}


def test_only_the_department_works_it(producer, warehouse):
    work = _work(producer)
    with pytest.raises(NotFound):
        work_order_accept(
            actor=warehouse, work_order_id=work.pk, promised_date=timezone.localdate()
        )
    work.refresh_from_db()
    assert work.status == "open" and Event.objects.filter(verb="workorder.accepted").count() == 0


def test_viewer_outside_department_cannot_act(producer, sales_admin):
    work = _work(producer)
    with pytest.raises(PermissionDenied):
        work_order_accept(
            actor=sales_admin, work_order_id=work.pk, promised_date=timezone.localdate()
        )
    work.refresh_from_db()
    assert work.status == "open"


@pytest.mark.parametrize("date", ["", "tomorrow", "2020-01-01"])
def test_accept_needs_a_real_future_date(producer, date):
    work = _work(producer)
    with pytest.raises(ValidationFailed) as info:
        work_order_accept(actor=producer, work_order_id=work.pk, promised_date=date)
    assert info.value.field == "promised_date"
    work.refresh_from_db()
    assert work.status == "open" and work.promised_date is None


def test_accept_progress_and_queue(producer):
    promised = timezone.localdate() + timedelta(days=5)
    work = _work(producer, needed_by=promised)
    assert f"workorders:{work.pk}" in [i.key for i in items_for(producer)]
    work_order_accept(actor=producer, work_order_id=work.pk, promised_date=promised)
    work = work_order_progress(actor=producer, work_order_id=work.pk, progress=40, note="排產中")
    assert (work.status, work.progress) == ("in_progress", 40)
    with pytest.raises(ValidationFailed):
        work_order_progress(actor=producer, work_order_id=work.pk, progress=140)


def test_decline_needs_reason(producer):
    work = _work(producer)
    with pytest.raises(ValidationFailed):
        work_order_decline(actor=producer, work_order_id=work.pk, reason="")
    work_order_decline(actor=producer, work_order_id=work.pk, reason="模具損壞")
    work.refresh_from_db()
    assert work.status == "declined" and work.result_note == "模具損壞"
