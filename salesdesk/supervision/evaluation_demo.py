"""A demo evaluation of this month so far, published, and a process improvement answering the demo
inspection's finding (E2.3, E3.1)."""

from django.utils import timezone

from salesdesk.accounts.models import User
from salesdesk.core import demo
from salesdesk.supervision import evaluation_services as services
from salesdesk.supervision.models import Finding


@demo.register("supervision.evaluation", order=95)
def load_evaluation(actor, stdout) -> None:
    supervisor = User.objects.filter(username="supervisor").first()
    if supervisor is None:
        return
    today = timezone.localdate()
    # This month so far: the demo's orders, shipments and invoices are all recent.
    run = services.run_create(
        actor=supervisor,
        data={"period_start": today.replace(day=1), "period_end": today, "note": "本月考核"},
    )
    services.run_transition(actor=supervisor, run_id=run.pk, action="publish")
    finding = Finding.objects.order_by("pk").first()
    if finding is not None:
        services.improvement_record(
            actor=supervisor,
            data={
                "finding": finding.pk,
                "change_kind": "procedure",
                "description": "口頭訂單改為每日早上檢查待確認清單，逾期自動提醒業務主管。",
                "requirements": ["O1.2"],
                "changed_on": today,
            },
        )
    stdout.write("  1 demo evaluation (published) and a process improvement\n")
