"""Admins view and edit company policies (DESIGN §4)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render


@login_required
@permission_required("core.view_policy", raise_exception=True)
def policy_list_view(request):
    return render(request, "core/policy_list.html", {})


@login_required
@permission_required("core.change_policy", raise_exception=True)
def policy_edit_view(request, key: str):
    return render(request, "core/policy_list.html", {})
