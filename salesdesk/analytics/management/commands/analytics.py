"""`salesdesk analytics status` and `salesdesk analytics rebuild` (A1.1, A2.2).

The worker rebuilds the pre-summed cells by itself after an upgrade that changed them (its
first facts refresh finds no cells for the new layout); `rebuild` does it now, in the
foreground, with the time it took. Until the cells are built, analytics read the facts:
slower, never wrong."""

import time

from django.core.management.base import BaseCommand
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from salesdesk.analytics import cube
from salesdesk.analytics.cube_build import cells_rebuild_all
from salesdesk.analytics.models import SalesCell, SalesFact


class Command(BaseCommand):
    help = _("Show whether the analytics cells are built (status) or rebuild them (rebuild).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "rebuild"])

    def handle(self, *args, **options):
        if options["action"] == "rebuild":
            self.stdout.write(_("Rebuilding the analytics cells from the facts…"))
            started = time.monotonic()
            span = cells_rebuild_all()
            seconds = time.monotonic() - started
            if span is None:
                self.stdout.write(_("No facts: nothing to sum."))
            else:
                self.stdout.write(
                    _("Rebuilt %(first)s – %(last)s in %(seconds).0f s.")
                    % {"first": span[0], "last": span[1], "seconds": seconds}
                )
        self._status()

    def _status(self):
        span = SalesFact.objects.aggregate(first=Min("order_date"), last=Max("order_date"))
        self.stdout.write(
            _("Facts: %(count)s, order dates %(first)s – %(last)s.")
            % {
                "count": f"{SalesFact.objects.count():,}",
                "first": span["first"] or "—",
                "last": span["last"] or "—",
            }
        )
        self.stdout.write(
            _("Cells: %(count)s in %(cuboids)s cuboids (layout %(layout)s).")
            % {
                "count": f"{SalesCell.objects.count():,}",
                "cuboids": len(cube.CUBOIDS),
                "layout": cube.LAYOUT,
            }
        )
        if cube.cells_built():
            self.stdout.write(_("Built: analytics read the cells."))
        else:
            self.stdout.write(
                _(
                    "Not built for this layout: analytics read the facts (slower) until the "
                    "worker or `salesdesk analytics rebuild` builds them."
                )
            )
