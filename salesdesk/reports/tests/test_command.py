"""`salesdesk report generate` and the schedule registration (A3.1, A3.2)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from salesdesk.core import schedule
from salesdesk.reports.models import PackStatus, ReportPack
from salesdesk.reports.tasks import reports_daily_task

pytestmark = [pytest.mark.django_db, pytest.mark.req("A3.1", "A3.2")]


def test_cli_generates_a_pack_as_the_system_user(sales_history, capsys):
    call_command("report", "generate", "--kind", "monthly", "--period", "2025-03")
    pack = ReportPack.objects.get()
    assert pack.status == PackStatus.READY and pack.requested_by.username == "system"
    out = capsys.readouterr().out
    assert "11" in out and pack.pdf.path in out


def test_cli_refuses_a_bad_period(db):
    with pytest.raises(CommandError, match="2025-Q1"):
        call_command("report", "generate", "--kind", "quarterly", "--period", "2025-5")
    assert ReportPack.objects.count() == 0


def test_the_daily_job_is_registered():
    registered = {s.name: s for s in schedule.schedules()}
    assert registered["reports.daily"].task is reports_daily_task
    assert registered["reports.daily"].daily_at is not None
