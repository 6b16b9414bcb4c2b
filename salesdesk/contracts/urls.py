from django.urls import path, re_path

from salesdesk.contracts import views, views_actions, views_draft, views_list, views_types

app_name = "contracts"
contract = "<int:contract_id>"
urlpatterns = [
    path("", views_list.contract_list_view, name="list"),
    path("reviews/", views_list.review_queue_view, name="review_queue"),
    path("new/", views_draft.contract_create_view, name="create"),
    path("new/orders/", views_draft.draft_orders_view, name="draft_orders"),
    path(f"{contract}/", views.contract_detail_view, name="detail"),
    path(f"{contract}/edit/", views_draft.contract_edit_view, name="edit"),
    path(f"{contract}/pdf/", views_actions.contract_pdf_view, name="pdf"),
    re_path(
        r"^(?P<contract_id>\d+)/"
        r"(?P<action>submit|activate|original-received|complete|terminate|void)/$",
        views_actions.contract_transition_view,
        name="transition",
    ),
    re_path(
        r"^(?P<contract_id>\d+)/review/(?P<decision>approve|reject)/$",
        views_actions.contract_review_view,
        name="review",
    ),
    path(
        f"{contract}/start-signing/",
        views_actions.contract_start_signing_view,
        name="start_signing",
    ),
    path(f"{contract}/sign/", views_actions.contract_sign_view, name="sign"),
    path(f"{contract}/scan/", views_actions.contract_scan_view, name="scan"),
    path(f"{contract}/breaches/", views_actions.breach_record_view, name="breach_record"),
    path(
        "obligations/<int:obligation_id>/fulfil/",
        views_actions.obligation_fulfil_view,
        name="obligation_fulfil",
    ),
    path(
        "breaches/<int:breach_id>/resolve/",
        views_actions.breach_resolve_view,
        name="breach_resolve",
    ),
    path("types/", views_types.contract_type_list_view, name="types"),
    path("types/check/", views_types.contract_type_check_view, name="type_check"),
    path("types/<int:type_id>/", views_types.contract_type_edit_view, name="type_edit"),
]
