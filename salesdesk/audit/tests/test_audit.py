"""Event log, access log, timelines and their pages (U9, C3.3)."""

import pytest
from django.template import Context, Template

from salesdesk.audit.models import AccessLog, Event
from salesdesk.audit.services import access_record, event_record
from salesdesk.core.exports import read_xlsx_rows


def test_event_needs_an_actor(salesperson):
    with pytest.raises(ValueError, match="actor"):
        event_record(actor=None, verb="x.done", subject=salesperson)
    assert not Event.objects.exists()


def test_event_and_access_records(salesperson, sales_admin):
    event = event_record(
        actor=sales_admin,
        verb="user.created",
        subject=salesperson,
        to_state="active",
        data={"k": 1},
    )
    assert (event.subject, event.subject_label, event.data) == (
        salesperson,
        str(salesperson),
        {"k": 1},
    )
    log = access_record(
        actor=sales_admin, subject=salesperson, fields=["phone", "email"], purpose="call back"
    )
    assert log.fields == ["email", "phone"]
    assert AccessLog.objects.get().purpose == "call back"


def test_timeline_tag_renders_events_newest_first(salesperson, sales_admin):
    event_record(actor=sales_admin, verb="token.created", subject=salesperson)
    event_record(actor=sales_admin, verb="token.revoked", subject=salesperson, note="lost laptop")
    html = Template("{% load audit %}{% timeline obj %}").render(Context({"obj": salesperson}))
    assert html.index("lost laptop") < html.index("token") + 10_000
    assert html.count("<li>") == 2


def test_event_log_page_filters_and_exports(client, supervisor, salesperson):
    event_record(actor=supervisor, verb="token.created", subject=salesperson)
    event_record(actor=supervisor, verb="policy.changed", subject=salesperson, note="n1")
    client.force_login(supervisor)
    page = client.get("/audit/events/?verb=policy", headers={"accept-language": "en"})
    html = page.content.decode()
    assert "n1" in html and "API token created" not in html
    export = client.get("/audit/events/?verb=policy&export=xlsx")
    rows = read_xlsx_rows(b"".join(export.streaming_content))
    assert len(rows) == 2 and rows[1][6] == "n1"
    csv = b"".join(client.get("/audit/events/?export=csv").streaming_content).decode("utf-8-sig")
    assert csv.count("\n") == 3


def test_event_log_forbidden_for_salesperson(client, salesperson):
    client.force_login(salesperson)
    response = client.get("/audit/events/", follow=True)
    assert response.redirect_chain or response.status_code in (403, 302)
    assert "alert-error" in response.content.decode()


def test_access_log_page_for_admin_only(client, it_admin, sales_admin, salesperson):
    access_record(actor=sales_admin, subject=salesperson, fields=["phone"], purpose="delivery")
    client.force_login(it_admin)
    assert "delivery" in client.get("/audit/access-log/").content.decode()
    client.force_login(sales_admin)
    assert "delivery" not in client.get("/audit/access-log/", follow=True).content.decode()


def test_timeline_shows_state_labels_in_the_users_language(salesperson, sales_admin):
    from django.utils import translation

    from salesdesk.customers.tests.factories import enterprise

    customer = enterprise(salesperson)
    event_record(
        actor=sales_admin,
        verb="customer.qualified",
        subject=customer,
        from_state="potential",
        to_state="intentional",
    )
    with translation.override("en"):
        html = Template("{% load audit %}{% timeline obj %}").render(Context({"obj": customer}))
    assert "Potential → Intentional" in html and "potential →" not in html
