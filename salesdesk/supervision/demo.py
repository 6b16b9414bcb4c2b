"""A demo inspection with a finding and a corrective action in the sales admin's queue (E1.1)."""

from datetime import timedelta

from django.utils import timezone

from salesdesk.accounts.models import User
from salesdesk.core import demo
from salesdesk.supervision import services


@demo.register("supervision.inspection", order=90)
def load_inspection(actor, stdout) -> None:
    inspector = User.objects.filter(username="supervisor").first()
    owner = User.objects.filter(username="salesadmin").first()
    if inspector is None or owner is None:
        return
    today = timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    plan = services.plan_create(
        actor=inspector,
        data={
            "title": "訂單審核與口頭訂單確認",
            "scope": "上月所有訂單的審核時限與口頭訂單書面確認",
            "period_start": start.isoformat(),
            "period_end": (today.replace(day=1) - timedelta(days=1)).isoformat(),
            "checklist": ["O1.2", "O2"],
        },
    )
    services.plan_transition(actor=inspector, plan_id=plan.pk, action="start")
    finding = services.finding_create(
        actor=inspector,
        plan_id=plan.pk,
        data={
            "severity": "medium",
            "requirement": "O1.2",
            "description": "口頭訂單超過確認期限仍未補書面記錄。",
        },
    )
    services.action_create(
        actor=inspector,
        finding_id=finding.pk,
        data={
            "description": "補齊口頭訂單的書面確認，並每日檢查待辦清單。",
            "owner": owner.pk,
            "due_date": (today + timedelta(days=7)).isoformat(),
        },
    )
    stdout.write("  1 demo inspection with a finding and a corrective action\n")
