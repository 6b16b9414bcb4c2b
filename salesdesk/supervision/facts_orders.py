"""Order KPIs from the event log (E2.2, O2, O1.2, O3.1): processing cycle time, reviews within
the SLA and verbal orders confirmed in writing on time."""

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from salesdesk.analytics.slicing import Period
from salesdesk.core import policies
from salesdesk.orders.models import Channel, Order, OrderStatus
from salesdesk.supervision.facts import (
    Fact,
    day_bounds,
    events_of,
    first_event_times,
    hours_between,
    local_day,
    success,
    url_of,
)

DECISIONS = ("order.approved", "order.rejected")
ENDINGS = (*DECISIONS, "order.cancelled")
START_OF_SPAN = {"review": "order.submitted", "allocation": "order.created"}


def _numbers(order_ids) -> dict[int, str]:
    return dict(Order.objects.filter(pk__in=set(order_ids)).values_list("pk", "number"))


def cycle_time(period: Period, span: str = "review") -> list[Fact]:
    """Hours from submission (review) or entry (allocation) to approval, per order approved in
    the period. Approval allocates the order to the departments in the same transaction
    (O3.1), so the `order.approved` event is both ends' clock. Person: the approver."""
    start, end = day_bounds(period)
    approvals = list(
        events_of(Order, ("order.approved",), created_at__gte=start, created_at__lt=end)
    )
    if not approvals:
        return []
    order_ids = {e.object_id for e in approvals}
    starts = defaultdict(list)
    for event in events_of(Order, (START_OF_SPAN[span],), order_ids):
        starts[event.object_id].append(event.created_at)
    numbers = _numbers(order_ids)
    facts = []
    for approval in approvals:
        # The latest start before this approval: a rejected and resubmitted order is timed
        # from its last submission.
        before = [t for t in starts[approval.object_id] if t <= approval.created_at]
        if not before:
            continue
        began = max(before)
        facts.append(
            Fact(
                kind="order",
                record_id=approval.object_id,
                label=numbers.get(approval.object_id, approval.subject_label),
                url=url_of("orders:detail", approval.object_id),
                person_id=approval.actor_id,
                day=local_day(approval.created_at),
                value=hours_between(began, approval.created_at),
                detail={"from": began, "to": approval.created_at},
            )
        )
    return facts


def _review_fact(submission, ending, deadline, now, numbers) -> Fact | None:
    if ending is not None and ending.verb in DECISIONS:
        ok, person, closed_at = ending.created_at <= deadline, ending.actor_id, ending.created_at
    elif ending is not None and ending.created_at <= deadline:
        return None  # cancelled before its review was due: nothing to review
    elif ending is None and deadline > now:
        return None  # still within the SLA
    else:
        ok, person, closed_at = False, None, ending.created_at if ending else None
    return Fact(
        kind="order",
        record_id=submission.object_id,
        label=numbers.get(submission.object_id, submission.subject_label),
        url=url_of("orders:detail", submission.object_id),
        person_id=person,
        day=local_day(submission.created_at),
        **success(ok),
        detail={"from": submission.created_at, "due": deadline, "to": closed_at},
    )


def reviewed_within_sla(period: Period) -> list[Fact]:
    """Each submission in the period, decided (approved or rejected) within
    `orders.review_sla_hours`. An undecided order counts as a miss once its SLA has passed,
    and is nobody's yet (person empty). Person: whoever decided."""
    start, end = day_bounds(period)
    submissions = list(
        events_of(Order, ("order.submitted",), created_at__gte=start, created_at__lt=end)
    )
    if not submissions:
        return []
    sla = timedelta(hours=policies.value("orders.review_sla_hours"))
    order_ids = {e.object_id for e in submissions}
    later = defaultdict(list)
    for event in events_of(Order, (*ENDINGS, "order.submitted"), order_ids):
        later[event.object_id].append(event)
    numbers, now, facts = _numbers(order_ids), timezone.now(), []
    for submission in submissions:
        following = [
            e
            for e in later[submission.object_id]
            if (e.created_at, e.id) > (submission.created_at, submission.id)
        ]
        ending = next((e for e in following if e.verb in ENDINGS), None)
        fact = _review_fact(submission, ending, submission.created_at + sla, now, numbers)
        if fact is not None:
            facts.append(fact)
    return facts


def verbal_confirmed_on_time(period: Period) -> list[Fact]:
    """Verbal orders whose written confirmation fell due in the period: on time when the
    `order.confirmed_in_writing` event came by the due time (O1.2). Orders cancelled or
    rejected need no confirmation; open ones count once due. Person: the salesperson."""
    start, end = day_bounds(period)
    orders = list(
        Order.objects.filter(
            channel=Channel.VERBAL,
            confirmation_due_at__gte=start,
            confirmation_due_at__lt=end,
        ).exclude(status__in=(OrderStatus.CANCELLED, OrderStatus.REJECTED))
    )
    confirmed = first_event_times(Order, "order.confirmed_in_writing", [o.pk for o in orders])
    now, facts = timezone.now(), []
    for order in orders:
        at = confirmed.get(order.pk) or order.confirmed_at
        if at is None and order.confirmation_due_at > now:
            continue
        facts.append(
            Fact(
                kind="order",
                record_id=order.pk,
                label=order.number,
                url=url_of("orders:detail", order.pk),
                person_id=order.salesperson_id,
                day=local_day(order.confirmation_due_at),
                **success(at is not None and at <= order.confirmation_due_at),
                detail={"due": order.confirmation_due_at, "to": at},
            )
        )
    return facts
