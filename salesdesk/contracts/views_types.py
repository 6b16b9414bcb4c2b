"""Contract types and their templates for legal (K1.1): edit with a live check that the
template renders on sample data, and the rendered preview."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesdesk.contracts.forms import ContractTypeForm
from salesdesk.contracts.models import ContractType
from salesdesk.contracts.services.types import contract_type_update, template_preview
from salesdesk.contracts.views_common import apply_errors, sanitized_html
from salesdesk.core.errors import DomainError, ValidationFailed


def _require(user: Any, permission: str) -> None:
    if not user.has_perm(permission):
        raise PageForbidden


def _check(template: str) -> dict[str, Any]:
    """The preview of `template`, or the error that stops it from rendering."""
    try:
        return {"preview": sanitized_html(template_preview(template)), "error": ""}
    except ValidationFailed as exc:
        fields = exc.extra.get("fields") or {}
        return {"preview": "", "error": str(fields.get("template", [exc.message])[0])}


@login_required
def contract_type_list_view(request):
    _require(request.user, "contracts.view_contracttype")
    context = {
        "types": ContractType.objects.all(),
        "can_change": request.user.has_perm("contracts.change_contracttype"),
    }
    return render(request, "contracts/contracttype_list.html", context)


@login_required
def contract_type_edit_view(request, type_id: int):
    """Legal edits a template; it is saved only if it renders (K1.1)."""
    _require(request.user, "contracts.change_contracttype")
    contract_type = get_object_or_404(ContractType, pk=type_id)
    if request.method != "POST":
        form = ContractTypeForm(
            initial={
                "name": contract_type.name,
                "template": contract_type.template,
                "is_active": contract_type.is_active,
            }
        )
        context = {"form": form, "contract_type": contract_type, **_check(contract_type.template)}
        return render(request, "contracts/contracttype_form.html", context)
    form = ContractTypeForm(request.POST)
    form.is_valid()
    data = {**form.data.dict(), **getattr(form, "cleaned_data", {})}
    try:
        contract_type_update(actor=request.user, contract_type_id=type_id, data=data)
    except DomainError as exc:
        apply_errors(form, exc)
        context = {"form": form, "contract_type": contract_type, **_check(data.get("template", ""))}
        return render(request, "contracts/contracttype_form.html", context, status=422)
    messages.success(request, _("Template saved."))
    return redirect("contracts:type_edit", type_id=type_id)


@login_required
@require_POST
def contract_type_check_view(request):
    """HTMX: does the template render? Shows the error or the preview."""
    _require(request.user, "contracts.change_contracttype")
    context = _check(request.POST.get("template", ""))
    return render(request, "contracts/partials/template_check.html", context)
