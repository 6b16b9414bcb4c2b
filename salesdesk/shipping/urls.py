from django.urls import path, re_path

from salesdesk.shipping import (
    views,
    views_actions,
    views_board,
    views_carriers,
    views_create,
    views_public,
)

app_name = "shipping"
shipment = "shipments/<int:shipment_id>"
carrier = "carriers/<int:carrier_id>"
urlpatterns = [
    path("shipments/", views.shipment_list_view, name="list"),
    path(f"{shipment}/", views.shipment_detail_view, name="detail"),
    path("<int:shipment_id>/", views.shipment_redirect_view, name="short"),
    path("orders/<int:order_id>/ship/", views_create.shipment_create_view, name="create"),
    path(f"{shipment}/readiness/", views_actions.shipment_readiness_view, name="readiness"),
    path(f"{shipment}/book/", views_actions.shipment_book_view, name="book"),
    path(f"{shipment}/dispatch/", views_actions.shipment_dispatch_view, name="dispatch"),
    path(f"{shipment}/tracking/", views_actions.shipment_tracking_view, name="tracking"),
    path(f"{shipment}/deliver/", views_actions.shipment_deliver_view, name="deliver"),
    path(f"{shipment}/cancel/", views_actions.shipment_cancel_view, name="cancel"),
    path(f"{shipment}/receipt-link/", views_actions.receipt_link_view, name="receipt_link"),
    path(f"{shipment}/receipt/", views_actions.receipt_upload_view, name="receipt"),
    path(f"{shipment}/complaints/", views_actions.complaint_record_view, name="complaint"),
    path(
        f"{shipment}/complaints/<int:complaint_id>/resolve/",
        views_actions.complaint_resolve_view,
        name="complaint_resolve",
    ),
    path(f"{shipment}/files/", views_actions.shipment_file_view, name="file"),
    re_path(
        r"^shipments/(?P<shipment_id>\d+)/documents/(?P<kind>[a-z-]+)\.pdf$",
        views_actions.shipment_document_view,
        name="document",
    ),
    path("board/", views_board.dispatch_board_view, name="board"),
    path("carriers/", views_carriers.carrier_list_view, name="carriers"),
    path("carriers/new/", views_carriers.carrier_create_view, name="carrier_create"),
    path(f"{carrier}/", views_carriers.carrier_detail_view, name="carrier_detail"),
    path(f"{carrier}/edit/", views_carriers.carrier_edit_view, name="carrier_edit"),
    path(f"{carrier}/secret/", views_carriers.carrier_secret_view, name="carrier_secret"),
    path(f"{carrier}/agreements/", views_carriers.agreement_add_view, name="agreement_add"),
    path(
        f"{carrier}/agreements/<int:agreement_id>/document/",
        views_carriers.agreement_document_view,
        name="agreement_document",
    ),
    path(f"{carrier}/preferences/", views_carriers.preference_set_view, name="preference_set"),
    path(
        f"{carrier}/preferences/<int:customer_id>/clear/",
        views_carriers.preference_clear_view,
        name="preference_clear",
    ),
    path("receipt/<str:token>/", views_public.public_receipt_view, name="public_receipt"),
    path("survey/<str:token>/", views_public.public_survey_view, name="public_survey"),
]
