"""Work-queue items (T1.1, T3.1): a person's open onboarding courses, due a number of days
after they got the role (overdue flagged by the queue), and career reviews due for the
reviewer."""

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.training.models import CareerPlan, OnboardingItem
from salesdesk.workqueue.registry import WorkItem, provider

MAX_ITEMS = 30


def _end_of(day):
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


@provider
def onboarding_waiting(user):
    items = OnboardingItem.objects.filter(user=user, completed_at__isnull=True).select_related(
        "course", "programme"
    )
    return [
        WorkItem(
            key=f"training.onboarding:{item.pk}",
            title=_("Complete the course %(title)s") % {"title": item.course.title},
            url=reverse("training:course_detail", args=[item.course_id]),
            kind=_("Onboarding"),
            due_at=_end_of(item.due_on),
            assignee=str(user),
            detail=item.programme.title,
        )
        for item in items[:MAX_ITEMS]
    ]


@provider
def career_reviews_due(user):
    plans = CareerPlan.objects.filter(reviewer=user, next_review_on__isnull=False).select_related(
        "person"
    )
    return [
        WorkItem(
            key=f"training.review:{plan.pk}:{plan.next_review_on}",
            title=_("Career review with %(person)s") % {"person": plan.person},
            url=reverse("training:plan_detail", args=[plan.pk]),
            kind=_("Career plan"),
            due_at=_end_of(plan.next_review_on),
            assignee=str(user),
        )
        for plan in plans.order_by("next_review_on")[:MAX_ITEMS]
    ]
