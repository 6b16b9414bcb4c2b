"""The data-sharing register and exports for outside parties (C3.4).

A signed NDA is uploaded as PDF or image (checked by signature and size in the form) and
served only through a permission-checked view, never a public media URL. An export for an
outside party names a valid agreement and a purpose; without a valid NDA the service refuses.
"""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesdesk.core.errors import ValidationFailed
from salesdesk.customers import services
from salesdesk.customers.forms import RevokeForm, ShareExportForm, SharingForm
from salesdesk.customers.models import DataSharingAgreement
from salesdesk.customers.selectors import customer_list
from salesdesk.customers.views_common import apply_errors, list_filters
from salesdesk.customers.views_export import export_customers

STATUS = {
    "valid": (gettext_lazy("Valid"), "badge-ok"),
    "pending": (gettext_lazy("Not yet valid"), "badge-warn"),
    "expired": (gettext_lazy("Expired"), "badge-danger"),
    "revoked": (gettext_lazy("Revoked"), "badge-danger"),
}


def _may_view(user) -> bool:
    return user.has_perm("customers.view_datasharingagreement") or user.has_perm(
        "customers.share_customer"
    )


def _status(agreement: DataSharingAgreement, today) -> tuple:
    if agreement.revoked_at is not None:
        return STATUS["revoked"]
    if today < agreement.valid_from:
        return STATUS["pending"]
    if today > agreement.valid_until:
        return STATUS["expired"]
    return STATUS["valid"]


@login_required
def sharing_list_view(request):
    """The register: recipient, scope, NDA, validity and revocation (C3.4)."""
    if not _may_view(request.user):
        raise PageForbidden
    today = timezone.localdate()
    agreements = DataSharingAgreement.objects.select_related("created_by")
    rows = [{"agreement": a, "status": _status(a, today)} for a in agreements]
    context = {
        "rows": rows,
        "can_share": request.user.has_perm("customers.share_customer"),
        "revoke_form": RevokeForm(),
    }
    return render(request, "customers/datasharingagreement_list.html", context)


@login_required
def sharing_create_view(request):
    """Register a signed NDA with its scope and validity (C3.4)."""
    if not request.user.has_perm("customers.share_customer"):
        raise PageForbidden
    form = SharingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.sharing_register(actor=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Agreement with %(recipient)s registered.") % {"recipient": agreement}
            )
            return redirect("customers:sharing")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "customers/datasharingagreement_form.html", {"form": form}, status=status
    )


@login_required
@require_POST
def sharing_revoke_view(request, agreement_id: int):
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.sharing_revoke(actor=request.user, agreement_id=agreement_id, reason=reason)
    messages.success(request, _("The agreement is revoked."))
    return redirect("customers:sharing")


@login_required
def sharing_document_view(request, agreement_id: int):
    """The signed NDA file, only for those who may see the register."""
    if not _may_view(request.user):
        raise PageForbidden
    agreement = get_object_or_404(DataSharingAgreement, pk=agreement_id)
    return FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=PurePath(agreement.document.name).name,
    )


@login_required
@require_POST
def sharing_export_view(request):
    """The filtered customer list as XLSX for an outside party under a valid NDA (C3.4)."""
    form = ShareExportForm(request.POST)
    form.is_valid()
    filters, sort = list_filters(request)
    customers = customer_list(user=request.user, filters=filters, sort=sort)
    return export_customers(
        request,
        customers,
        filters,
        fmt="xlsx",
        purpose=form.cleaned_data.get("purpose") or "",
        outside=True,
        agreement_id=form.cleaned_data.get("agreement"),
    )
