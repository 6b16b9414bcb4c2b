"""Reports API (A3.1, A3.2): the archive of packs, one pack, generating one, its files.

A caller without `reports.view_reportpack` gets 403; generating needs
`reports.generate_reportpack`; a bad or unfinished period is 422 naming `period`.
"""

from django.http import FileResponse, Http404
from ninja import Query, Router, Status

from salesdesk.audit.api import add_events_route
from salesdesk.core.idempotency import idempotent_create
from salesdesk.reports import selectors, services
from salesdesk.reports.models import ReportPack
from salesdesk.reports.schemas import (
    ReportPackCreateIn,
    ReportPackListQuery,
    ReportPackOut,
    ReportPackPageOut,
)

router = Router(tags=["reports"])

PACK = "/reports/{int:pack_id}"


def _pack(request, pack_id: int) -> ReportPack:
    return selectors.reportpack_get(user=request.user, pack_id=pack_id)


@router.get("/reports", response=ReportPackPageOut, summary="Report packs, every version")
def reportpack_list_api(request, query: Query[ReportPackListQuery]):
    packs = selectors.reportpack_list(
        user=request.user,
        kind=query.kind or "",
        year=query.year,
        status=query.status or "",
        current_only=query.current_only,
    )
    return {"count": packs.count(), "items": list(packs[query.offset : query.offset + query.limit])}


@router.post(
    "/reports",
    response={201: ReportPackOut, 200: ReportPackOut},
    summary="Generate the pack of a finished period in the background (honours Idempotency-Key)",
)
def reportpack_create_api(request, payload: ReportPackCreateIn):
    def create() -> ReportPack:
        return services.reportpack_request(
            kind=payload.kind, period=payload.period, deliver=payload.deliver, actor=request.user
        )

    pack, replayed = idempotent_create(
        request,
        "reports.pack",
        payload.model_dump(mode="json"),
        create=create,
        load=lambda pk: _pack(request, pk),
    )
    return Status(200 if replayed else 201, _pack(request, pack.pk))


@router.get(PACK, response=ReportPackOut, summary="One report pack")
def reportpack_get_api(request, pack_id: int):
    return _pack(request, pack_id)


@router.get(f"{PACK}/pdf", summary="Download the pack as PDF")
def reportpack_pdf_api(request, pack_id: int):
    return _file(_pack(request, pack_id), "pdf")


@router.get(f"{PACK}/xlsx", summary="Download the pack as an Excel workbook")
def reportpack_xlsx_api(request, pack_id: int):
    return _file(_pack(request, pack_id), "xlsx")


def _file(pack: ReportPack, file_format: str) -> FileResponse:
    stored = pack.pdf if file_format == "pdf" else pack.xlsx
    if not stored:
        raise Http404
    name = f"report-{pack.kind}-{pack.period_label}-v{pack.version}.{file_format}"
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name)


add_events_route(router, "/reports", _pack)
