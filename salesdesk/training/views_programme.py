"""Onboarding programme pages (T1.1): each role's required courses with deadlines in days
after the person gets the role. Training managers set them; everybody may read them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.roles import role_label
from salesdesk.core.errors import DomainError
from salesdesk.training import services
from salesdesk.training.forms import role_choices
from salesdesk.training.models import Course, OnboardingProgramme
from salesdesk.training.policies import can_manage_training
from salesdesk.training.views import listing, problem_text

SORTS = {"role": "role", "title": "title"}
COLUMNS = (("role", _("Role")), ("title", _("Title")))
EXPORT = (_("Role"), _("Title"), _("Course"), _("Due (days after start)"))


@login_required
def programme_list_view(request):
    programmes = OnboardingProgramme.objects.prefetch_related("entries__course")
    role = request.GET.get("role", "")
    if role:
        programmes = programmes.filter(role=role)
    context = listing(
        request,
        programmes,
        SORTS,
        "role",
        COLUMNS,
        (
            "onboarding-programmes",
            EXPORT,
            lambda p: [
                str(role_label(p.role)),
                p.title,
                "; ".join(e.course.title for e in p.entries.all()),
                "; ".join(str(e.due_days) for e in p.entries.all()),
            ],
        ),
    )
    if not isinstance(context, dict):
        return context
    for programme in context["page_obj"]:
        programme.role_label = role_label(programme.role)
    context.update(role=role, roles=role_choices(), can_manage=can_manage_training(request.user))
    return render(request, "training/programme_list.html", context)


@login_required
def programme_form_view(request):
    """Set one role's programme: a due-days box per active course (empty: not required)."""
    if not can_manage_training(request.user):
        raise PageForbidden
    role = request.POST.get("role") or request.GET.get("role") or ""
    current = OnboardingProgramme.objects.filter(role=role).first()
    days = {e.course_id: e.due_days for e in current.entries.all()} if current else {}
    courses = list(Course.objects.filter(active=True))
    if request.method == "POST":
        entries = [(c.pk, request.POST.get(f"days_{c.pk}", "").strip()) for c in courses]
        entries = [(pk, value) for pk, value in entries if value != ""]
        try:
            services.programme_set(
                actor=request.user, role=role, title=request.POST.get("title", ""), entries=entries
            )
            messages.success(request, _("Saved."))
            return redirect("training:programme_list")
        except DomainError as error:
            messages.error(request, problem_text(error))
            days = dict(entries)
    rows = [{"course": c, "days": days.get(c.pk, "")} for c in courses]
    return render(
        request,
        "training/programme_form.html",
        {
            "role": role,
            "roles": role_choices(),
            "rows": rows,
            "title": request.POST.get("title") or (current.title if current else ""),
        },
    )
