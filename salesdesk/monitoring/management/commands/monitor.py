"""`salesdesk monitor run [--indicator CODE ...]`: run the monitoring checks now (R3.1);
`salesdesk monitor list`: the indicators with their thresholds and last run."""

from django.core.management.base import BaseCommand, CommandError

from salesdesk.accounts.services import system_user
from salesdesk.core.errors import DomainError
from salesdesk.monitoring.services import monitoring_run


class Command(BaseCommand):
    help = "Run the monitoring checks (run) or list the indicators (list)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run", "list"])
        parser.add_argument(
            "--indicator",
            action="append",
            default=[],
            help="Run only this indicator (repeatable); runs it even if switched off.",
        )

    def handle(self, *args, **options):
        if options["action"] == "list":
            return self._list()
        try:
            results = monitoring_run(actor=system_user(), codes=options["indicator"] or None)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        failed = False
        for r in results:
            line = (
                f"{r.code}: measured {r.observed}, raised {r.raised}, updated {r.updated}, "
                f"cleared {r.cleared}, live warning {r.warning}, live critical {r.critical}"
            )
            if r.error:
                failed = True
                line += f", FAILED: {r.error}"
            self.stdout.write(line)
        if failed:
            raise CommandError("some checks failed")

    def _list(self):
        from salesdesk.monitoring.indicators import all_indicators
        from salesdesk.monitoring.models import IndicatorState

        states = IndicatorState.objects.in_bulk(field_name="code")
        for item in all_indicators():
            warning, critical = item.thresholds()
            state = states.get(item.code)
            last = (
                f"{state.last_run_at:%Y-%m-%d %H:%M} {state.last_status}"
                if state and state.last_run_at
                else "never"
            )
            on = "on" if item.is_enabled() else "off"
            self.stdout.write(
                f"{item.code} [{on}] warning {warning} critical {critical} "
                f"({item.direction}); last run {last}"
            )
