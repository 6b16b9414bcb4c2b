"""Customer-facing one-time pages: confirm receipt (S4.1) and answer the survey (S4.3).

Reachable without an account through an unguessable link that works once and expires.
They show only the shipment's goods and quantities, never prices or personal data.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from salesdesk.accounts.services import system_user
from salesdesk.core.errors import DomainError, NotFound
from salesdesk.shipping.models import OneTimeLink
from salesdesk.shipping.services import receipt_confirm_by_link, survey_answer
from salesdesk.shipping.services.receipt import link_open


def _lines_from_post(post) -> dict:
    lines: dict[str, dict] = {}
    for key, value in post.items():
        if key.startswith(("received-", "damaged-")):
            kind, line_id = key.split("-", 1)
            lines.setdefault(line_id, {})[kind] = value
    return lines


@never_cache
def public_receipt_view(request, token: str):
    try:
        link = link_open(token, OneTimeLink.Purpose.RECEIPT)
    except NotFound as exc:
        return render(request, "shipping/public_done.html", {"message": exc.message}, status=404)
    context = {
        "shipment": link.shipment,
        "lines": link.shipment.lines.select_related("order_line__product"),
    }
    if request.method == "POST":
        try:
            receipt_confirm_by_link(
                token=token, actor=system_user(), lines=_lines_from_post(request.POST)
            )
        except DomainError as exc:
            context["error"] = exc.message
            context["errors"] = exc.extra.get("fields", {})
            return render(request, "shipping/public_receipt.html", context, status=exc.status)
        return render(request, "shipping/public_done.html", {"thanks": True})
    return render(request, "shipping/public_receipt.html", context)


@never_cache
def public_survey_view(request, token: str):
    try:
        link = link_open(token, OneTimeLink.Purpose.SURVEY)
    except NotFound as exc:
        return render(request, "shipping/public_done.html", {"message": exc.message}, status=404)
    context = {"shipment": link.shipment, "scores": range(1, 6)}
    if request.method == "POST":
        try:
            survey_answer(
                token=token,
                actor=system_user(),
                comment=request.POST.get("comment"),
                **{k: request.POST.get(k) for k in ("quality", "timeliness", "service")},
            )
        except DomainError as exc:
            context.update(error=exc.message, errors=exc.extra.get("fields", {}))
            return render(request, "shipping/public_survey.html", context, status=exc.status)
        return render(request, "shipping/public_done.html", {"thanks": True})
    return render(request, "shipping/public_survey.html", context)
