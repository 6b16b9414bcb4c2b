"""Admins view and edit company policies (DESIGN §4), inline with HTMX or as plain forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from salesdesk.core import policies
from salesdesk.core.errors import ValidationFailed


def _row(definition, value) -> dict:
    return {
        "definition": definition,
        "value": value,
        "is_default": value == definition.to_python(definition.parse(definition.default)),
    }


@login_required
@permission_required("core.view_policy", raise_exception=True)
def policy_list_view(request):
    values = policies.current_values()
    rows = [_row(d, values[d.key]) for d in policies.definitions()]
    return render(request, "core/policy_list.html", {"rows": rows})


@login_required
@permission_required("core.change_policy", raise_exception=True)
def policy_edit_view(request, key: str):
    definition = policies.definition(key)
    error = None
    if request.method == "POST":
        raw = (
            request.POST.getlist("value")
            if definition.kind == "list"
            else request.POST.get("value", "false" if definition.kind == "bool" else "")
        )
        try:
            value = policies.policy_set(
                key=key, raw_value=raw, actor=request.user, note=request.POST.get("note", "")
            )
        except ValidationFailed as exc:
            error = exc.message
        else:
            if request.htmx:
                return render(
                    request, "core/partials/policy_row.html", {"row": _row(definition, value)}
                )
            messages.success(request, _("Policy “%(label)s” saved.") % {"label": definition.label})
            return redirect("core:policy_list")
    context = {
        "definition": definition,
        "value": request.POST.get("value") if error else policies.value(key),
        "error": error,
    }
    template = "core/partials/policy_form.html" if request.htmx else "core/policy_edit.html"
    return render(request, template, context, status=422 if error else 200)
