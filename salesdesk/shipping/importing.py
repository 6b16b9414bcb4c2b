"""Import tracking events from a carrier's CSV or XLSX export (S3.2).

Rows are matched to shipments on the way by tracking number. Each row goes through the same
rule as an event entered by hand (`record_tracking`): the first event puts the shipment in
transit, an exception moves it to the exception state and tells the customer, a later normal
event resumes transit. All-or-nothing like every import: one bad row imports nothing.
"""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from salesdesk.imports import registry
from salesdesk.imports.base import Column, Importer, RowError, ValidRow
from salesdesk.shipping.models import Shipment, ShipmentStatus, TrackingEvent, TrackingSource
from salesdesk.shipping.services.dispatch import customer_email
from salesdesk.shipping.services.tracking import IN_TRANSIT, record_tracking

TRUE_WORDS = {"1", "true", "yes", "y", "x", "是", "異常", "异常"}
FALSE_WORDS = {"", "0", "false", "no", "n", "否"}


def _flag(value: str) -> bool | None:
    word = (value or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _moment(value: str) -> datetime | None:
    try:
        moment = parse_datetime(value.strip().replace("/", "-"))
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@registry.register
class TrackingImporter(Importer):
    """Tracking events: tracking number, time, location, description, exception flag."""

    kind = "tracking"
    label = _("tracking events")
    permission = "shipping.book_shipment"
    columns = (
        Column("tracking_number", _("The carrier's tracking number"), required=True),
        Column("occurred_at", _("Time, e.g. 2026-05-04 14:30"), required=True),
        Column("location", _("Where")),
        Column("description", _("What happened"), required=True),
        Column("exception", _("1 or yes if it is a problem (damage, loss, refusal)")),
    )
    aliases = {
        "運單號": "tracking_number",
        "运单号": "tracking_number",
        "時間": "occurred_at",
        "时间": "occurred_at",
        "地點": "location",
        "地点": "location",
        "描述": "description",
        "狀態": "description",
        "状态": "description",
        "異常": "exception",
        "异常": "exception",
    }
    examples = (
        {
            "tracking_number": "SF1234567890",
            "occurred_at": "2026-05-04 14:30",
            "location": "廈門",
            "description": "已到達轉運中心",
            "exception": "",
        },
        {
            "tracking_number": "SF1234567890",
            "occurred_at": "2026-05-05 09:10",
            "location": "福州",
            "description": "包裹破損",
            "exception": "1",
        },
    )
    batch_size = 500

    def validate_row(self, row: dict[str, str]) -> dict[str, Any]:
        problems = []
        number = (row.get("tracking_number") or "").strip()
        if not number:
            problems.append(("tracking_number", _("Give the tracking number.")))
        moment = _moment(row.get("occurred_at") or "")
        if moment is None:
            problems.append(("occurred_at", _("Enter the time as YYYY-MM-DD HH:MM.")))
        description = (row.get("description") or "").strip()
        if not description:
            problems.append(("description", _("Describe the event.")))
        elif len(description) > 200:
            problems.append(("description", _("At most 200 characters.")))
        is_exception = _flag(row.get("exception", ""))
        if is_exception is None:
            problems.append(("exception", _("Use 1/yes for a problem, empty or 0/no otherwise.")))
        if problems:
            raise RowError(problems)
        return {
            "tracking_number": number,
            "occurred_at": moment,
            "location": (row.get("location") or "").strip()[:100],
            "description": description,
            "is_exception": is_exception,
        }

    def check_batch(self, rows: list[ValidRow]) -> dict[int, RowError]:
        numbers = {row.cleaned["tracking_number"] for row in rows}
        matches: dict[str, list[Shipment]] = {}
        for shipment in Shipment.objects.filter(
            tracking_number__in=numbers, status__in=IN_TRANSIT
        ).select_related("order__customer"):
            matches.setdefault(shipment.tracking_number, []).append(shipment)
        known = set(
            TrackingEvent.objects.filter(
                shipment__in=[s for found in matches.values() for s in found]
            ).values_list("shipment_id", "occurred_at", "description")
        )
        states = {s.pk: s.status for found in matches.values() for s in found}
        errors: dict[int, RowError] = {}
        for row in sorted(rows, key=lambda r: (r.cleaned["occurred_at"], r.line)):
            cleaned = row.cleaned
            found = matches.get(cleaned["tracking_number"], [])
            problem = self._problem(found, cleaned, known, states)
            if problem:
                errors[row.line] = RowError.one(*problem)
                continue
            shipment_id = cleaned["shipment_id"] = found[0].pk
            known.add((shipment_id, cleaned["occurred_at"], cleaned["description"]))
            states[shipment_id] = (
                ShipmentStatus.EXCEPTION if cleaned["is_exception"] else ShipmentStatus.IN_TRANSIT
            )
        return errors

    @staticmethod
    def _problem(
        found: list[Shipment], cleaned: dict, known: set, states: dict
    ) -> tuple[str, Any] | None:
        if not found:
            return (
                "tracking_number",
                _("No shipment on the way has tracking number %(n)s.")
                % {"n": cleaned["tracking_number"]},
            )
        if len(found) > 1:
            return (
                "tracking_number",
                _("Several shipments on the way have tracking number %(n)s.")
                % {"n": cleaned["tracking_number"]},
            )
        if (found[0].pk, cleaned["occurred_at"], cleaned["description"]) in known:
            return ("occurred_at", _("This event is recorded already."))
        if cleaned["is_exception"] and states[found[0].pk] == ShipmentStatus.EXCEPTION:
            return (
                "exception",
                _("%(s)s is in the exception state already; a normal event must come first.")
                % {"s": found[0].number},
            )
        if cleaned["is_exception"] and customer_email(found[0]) is None:
            return (
                "exception",
                _("The customer of %(s)s has no e-mail address to tell of the problem.")
                % {"s": found[0].number},
            )
        return None

    def apply_batch(self, rows: list[ValidRow]) -> int:
        for row in sorted(rows, key=lambda r: (r.cleaned["occurred_at"], r.line)):
            data = row.cleaned
            shipment = Shipment.objects.select_for_update().get(pk=data["shipment_id"])
            record_tracking(
                shipment,
                self.actor,
                occurred_at=data["occurred_at"],
                description=data["description"],
                location=data["location"],
                is_exception=data["is_exception"],
                source=TrackingSource.IMPORT,
            )
        return len(rows)
