"""Demo: run the monitoring checks once over the demo data, so the board is not empty."""

from salesdesk.core import demo
from salesdesk.monitoring.services import monitoring_run


@demo.register("monitoring.first_run", order=900)
def first_run(actor, stdout) -> None:
    from salesdesk.accounts.services import system_user

    results = monitoring_run(actor=system_user())
    stdout.write(f"monitoring: {sum(r.raised for r in results)} warnings raised\n")
