"""Training records and career plan pages (T1.1, T2.1, T3.1)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from salesdesk.core.errors import DomainError, NotFound
from salesdesk.core.exports import xlsx_response
from salesdesk.training import selectors, services_career
from salesdesk.training.forms import GoalForm
from salesdesk.training.models import CareerPlan, GoalStatus
from salesdesk.training.policies import can_manage_plan
from salesdesk.training.views import listing, problem_text

RECORD_EXPORT = (_("Session"), _("Course"), _("Attendance"), _("Score"), _("Passed"))


@login_required
def my_record_view(request):
    return record_view(request, request.user.pk)


@login_required
def record_view(request, person_id: int):
    """A person's training record: passed courses, scores, sessions, outstanding (T1.1)."""
    try:
        record = selectors.record_of(user=request.user, person_id=person_id)
    except NotFound:
        raise Http404 from None
    if request.GET.get("export") == "xlsx":
        rows = (
            [
                e.session.starts_at,
                e.session.course.title,
                e.get_attendance_display(),
                e.score,
                e.passed,
            ]
            for e in record["enrolments"]
        )
        return xlsx_response(f"training-record-{record['person'].username}", RECORD_EXPORT, rows)
    plan = CareerPlan.objects.filter(person=record["person"]).first()
    record.update(plan=plan, can_plan=can_manage_plan(request.user, record["person"]))
    return render(request, "training/record.html", record)


TEAM_SORTS = {"username": "username", "name": "last_name", "department": "department__code"}
TEAM_COLUMNS = (("username", _("User")), ("name", _("Name")), ("department", _("Department")))
TEAM_EXPORT = (_("User"), _("Name"), _("Department"), _("Outstanding required courses"))


@login_required
def team_view(request):
    """Training records of the people the user may see (managers: their team)."""
    people = selectors.persons_list(user=request.user, q=request.GET.get("q", ""))
    from django.db.models import Count, Q

    people = people.annotate(
        outstanding=Count("onboarding_items", filter=Q(onboarding_items__completed_at__isnull=True))
    )
    context = listing(
        request,
        people,
        TEAM_SORTS,
        "username",
        TEAM_COLUMNS,
        (
            "training-team",
            TEAM_EXPORT,
            lambda p: [p.username, p.get_full_name(), str(p.department or ""), p.outstanding],
        ),
    )
    if not isinstance(context, dict):
        return context
    context["q"] = request.GET.get("q", "")
    return render(request, "training/team.html", context)


PLAN_SORTS = {"person": "person__username", "review": "next_review_on"}
PLAN_COLUMNS = (("person", _("Person")), ("review", _("Next review on")))
PLAN_EXPORT = (_("Person"), _("Current title"), _("Reviewer"), _("Next review on"))


@login_required
def plan_list_view(request):
    plans = selectors.plan_list(user=request.user)
    context = listing(
        request,
        plans,
        PLAN_SORTS,
        "review",
        PLAN_COLUMNS,
        (
            "career-plans",
            PLAN_EXPORT,
            lambda p: [str(p.person), p.current_title, str(p.reviewer), p.next_review_on],
        ),
    )
    if not isinstance(context, dict):
        return context
    return render(request, "training/plan_list.html", context)


def _plan(request, plan_id: int):
    try:
        return selectors.plan_get(user=request.user, plan_id=plan_id)
    except NotFound:
        raise Http404 from None


@login_required
def plan_detail_view(request, plan_id: int):
    plan = _plan(request, plan_id)
    return render(
        request,
        "training/plan_detail.html",
        {
            "plan": plan,
            "goals": plan.goals.all(),
            "reviews": plan.reviews.select_related("reviewed_by"),
            "promotions": plan.promotions.all(),
            "can_edit": can_manage_plan(request.user, plan.person),
            "goal_form": GoalForm(),
            "statuses": GoalStatus.choices,
        },
    )


@login_required
@require_POST
def plan_create_view(request, person_id: int):
    try:
        plan = services_career.plan_create(
            actor=request.user, person_id=person_id, data=request.POST.dict()
        )
    except DomainError as error:
        messages.error(request, problem_text(error))
        return redirect("training:record", person_id)
    return redirect("training:plan_detail", plan.pk)


PARTS = {
    "edit": services_career.plan_update,
    "goal": services_career.goal_add,
    "review": services_career.review_record,
    "promotion": services_career.promotion_record,
}


@login_required
@require_POST
def plan_part_view(request, plan_id: int, part: str):
    plan = _plan(request, plan_id)
    try:
        if part == "goal-status":
            services_career.goal_set_status(
                actor=request.user,
                goal_id=request.POST.get("goal"),
                status=request.POST.get("status", ""),
            )
        elif part in PARTS:
            PARTS[part](actor=request.user, plan_id=plan.pk, data=request.POST.dict())
        else:
            raise Http404
        messages.success(request, _("Saved."))
    except DomainError as error:
        if error.status == 403:
            raise PageForbidden from None
        messages.error(request, problem_text(error))
    return redirect("training:plan_detail", plan.pk)
