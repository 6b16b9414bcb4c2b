"""The risk register (R1.1, R2.2): links, visibility, edit rights, contingency activation."""

import pytest

from salesdesk.audit.models import Event
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.customers.tests.factories import enterprise
from salesdesk.notifications.models import Notification
from salesdesk.risk.models import ContingencyActivation, Risk
from salesdesk.risk.selectors import risk_get, risk_list
from salesdesk.risk.services import contingency_activate, risk_create, risk_update
from salesdesk.risk.tests.conftest import raw_risk


def _risk_events() -> int:
    return Event.objects.filter(verb__startswith="risk.").count()


@pytest.mark.req("R1.1")
def test_a_risk_on_an_order_belongs_to_its_customer(
    make_order, sales_admin, sales_manager, customer
):
    order = make_order()
    risk = risk_create(
        actor=sales_admin,
        data={
            "title": "原料短缺可能延誤交期",
            "category": "order_execution",
            "order": order.pk,
            "owner": sales_manager.pk,
            "contingency_plan": "改用備用供應商",
        },
    )
    assert risk.number.startswith("RSK-") and risk.status == "identified"
    assert (risk.order_id, risk.customer_id, risk.owner_id) == (
        order.pk,
        customer.pk,
        sales_manager.pk,
    )
    event = Event.objects.get(verb="risk.created", object_id=risk.pk)
    assert event.actor == sales_admin and event.data["owner"] == sales_manager.username


@pytest.mark.req("R1.1")
def test_bad_input_names_each_field_and_creates_nothing(make_order, sales_admin, salesperson):
    other = enterprise(salesperson, legal_name="另一家公司")
    order = make_order()
    with pytest.raises(ValidationFailed) as refused:
        risk_create(
            actor=sales_admin,
            data={"title": " ", "category": "weather", "owner": salesperson.pk, "order": 999999},
        )
    assert set(refused.value.extra["fields"]) == {"title", "category", "owner", "order"}
    with pytest.raises(ValidationFailed) as mismatch:
        risk_create(
            actor=sales_admin,
            data={"title": "x", "category": "other", "order": order.pk, "customer": other.pk},
        )
    assert "customer" in mismatch.value.extra["fields"]
    assert Risk.objects.count() == 0 and _risk_events() == 0


@pytest.mark.req("R1.1")
def test_refusals_change_nothing_and_write_no_event(risk, salesperson, other_salesperson, legal):
    before = _risk_events()
    with pytest.raises(PermissionDenied):
        risk_create(actor=salesperson, data={"title": "x", "category": "other"})
    with pytest.raises(PermissionDenied):  # legal may edit only the risks they own or raised
        risk_update(actor=legal, risk_id=risk.pk, data={"title": "改掉"})
    with pytest.raises(PermissionDenied):  # the customer's salesperson sees it, read-only
        risk_update(actor=salesperson, risk_id=risk.pk, data={"title": "改掉"})
    with pytest.raises(NotFound):  # another salesperson cannot even see it
        risk_update(actor=other_salesperson, risk_id=risk.pk, data={"title": "改掉"})
    with pytest.raises(PermissionDenied):
        contingency_activate(actor=legal, risk_id=risk.pk, note="啟動")
    risk.refresh_from_db()
    assert risk.title == "大客戶付款延遲" and Risk.objects.count() == 1
    assert ContingencyActivation.objects.count() == 0 and _risk_events() == before


@pytest.mark.req("R1.1")
def test_salespeople_see_the_risks_of_their_customers_only(
    risk, salesperson, other_salesperson, supervisor
):
    assert list(risk_list(user=salesperson)) == [risk]
    assert risk_get(user=salesperson, risk_id=risk.pk) == risk
    assert list(risk_list(user=other_salesperson)) == []
    with pytest.raises(NotFound):
        risk_get(user=other_salesperson, risk_id=risk.pk)
    assert list(risk_list(user=supervisor)) == [risk]


@pytest.mark.req("R1.1")
def test_an_edit_records_the_changed_fields(risk, sales_manager):
    risk_update(
        actor=sales_manager, risk_id=risk.pk, data={"title": "新標題", "response_plan": "縮短賬期"}
    )
    event = Event.objects.get(verb="risk.updated", object_id=risk.pk)
    assert event.data == {"fields": ["title"]}
    risk_update(actor=sales_manager, risk_id=risk.pk, data={"title": "新標題"})
    assert Event.objects.filter(verb="risk.updated", object_id=risk.pk).count() == 1


@pytest.mark.req("R2.2")
def test_contingency_activation_records_who_when_and_what(
    risk, sales_manager, finance, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        activation = contingency_activate(actor=finance, risk_id=risk.pk, note="已暫停發貨")
    assert (activation.activated_by, activation.note) == (finance, "已暫停發貨")
    assert activation.plan == "停止發貨並啟動催收"
    event = Event.objects.get(verb="risk.contingency_activated", object_id=risk.pk)
    assert event.actor == finance and event.data == {"activation": activation.pk}
    assert Notification.objects.filter(recipient=sales_manager).count() == 1


@pytest.mark.req("R2.2")
def test_contingency_activation_refusals(sales_manager):
    without_plan = raw_risk(owner=sales_manager, contingency_plan="")
    closed = raw_risk(owner=sales_manager, status="closed")
    with pytest.raises(Conflict):
        contingency_activate(actor=sales_manager, risk_id=without_plan.pk, note="x")
    with pytest.raises(Conflict):
        contingency_activate(actor=sales_manager, risk_id=closed.pk, note="x")
    with pytest.raises(ValidationFailed):
        contingency_activate(actor=sales_manager, risk_id=closed.pk, note=" ")
    assert ContingencyActivation.objects.count() == 0 and _risk_events() == 0


@pytest.mark.req("R1.1")
def test_the_owner_sees_the_next_step_in_the_work_queue(risk, sales_manager, finance):
    from salesdesk.risk.services import risk_assess
    from salesdesk.workqueue.registry import items_for

    [item] = [i for i in items_for(sales_manager) if i.key.startswith("risk.")]
    assert item.key == f"risk.step:{risk.pk}:identified" and risk.number in str(item.title)
    risk_assess(actor=sales_manager, risk_id=risk.pk, likelihood=2, impact=2)
    [item] = [i for i in items_for(sales_manager) if i.key.startswith("risk.")]
    assert item.key == f"risk.step:{risk.pk}:assessed"
    assert not [i for i in items_for(finance) if i.key.startswith("risk.")]
