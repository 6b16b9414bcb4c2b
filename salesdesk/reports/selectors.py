"""Reads of report packs for the people who may see them (A3.2)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from salesdesk.core.errors import NotFound, PermissionDenied
from salesdesk.reports.models import PackStatus, ReportPack
from salesdesk.reports.policies import may_view


def _check(user: Any) -> None:
    if not may_view(user):
        raise PermissionDenied(_("You may not see report packs."))


def reportpack_list(
    *,
    user: Any,
    kind: str = "",
    year: int | None = None,
    status: str = "",
    current_only: bool = False,
) -> QuerySet[ReportPack]:
    """The archive: every version of every pack, newest period first."""
    _check(user)
    packs = ReportPack.objects.select_related("requested_by")
    if kind:
        packs = packs.filter(kind=kind)
    if year:
        packs = packs.filter(period_start__year=year)
    if status:
        packs = packs.filter(status=status)
    if current_only:
        packs = packs.exclude(status=PackStatus.SUPERSEDED)
    return packs


def reportpack_get(*, user: Any, pack_id: int) -> ReportPack:
    _check(user)
    pack = ReportPack.objects.select_related("requested_by").filter(pk=pack_id).first()
    if pack is None:
        raise NotFound(_("No such report pack."), extra={"id": pack_id})
    return pack


def reportpack_versions(pack: ReportPack) -> QuerySet[ReportPack]:
    return ReportPack.objects.filter(kind=pack.kind, period_start=pack.period_start).order_by(
        "-version"
    )
