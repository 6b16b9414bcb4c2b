from django.urls import path

from salesdesk.customers import views, views_edit, views_export, views_privacy, views_sharing

app_name = "customers"
contact = "<int:customer_id>/contacts/<int:contact_id>"
urlpatterns = [
    path("", views.customer_list_view, name="list"),
    path("new/", views_edit.customer_create_view, name="create"),
    path("export/", views_export.customer_export_revealed_view, name="export_revealed"),
    path(
        "access-log/user/<str:username>/",
        views_privacy.user_access_log_view,
        name="user_access_log",
    ),
    path("sharing/", views_sharing.sharing_list_view, name="sharing"),
    path("sharing/new/", views_sharing.sharing_create_view, name="sharing_create"),
    path("sharing/export/", views_sharing.sharing_export_view, name="sharing_export"),
    path(
        "sharing/<int:agreement_id>/document/",
        views_sharing.sharing_document_view,
        name="sharing_document",
    ),
    path(
        "sharing/<int:agreement_id>/revoke/",
        views_sharing.sharing_revoke_view,
        name="sharing_revoke",
    ),
    path("<int:customer_id>/", views.customer_detail_view, name="detail"),
    path("<int:customer_id>/edit/", views_edit.customer_edit_view, name="edit"),
    path("<int:customer_id>/verify/", views.customer_verify_view, name="verify"),
    path(
        "<int:customer_id>/access-log/",
        views_privacy.customer_access_log_view,
        name="access_log",
    ),
    path("<int:customer_id>/contacts/new/", views_edit.contact_add_view, name="contact_add"),
    path(f"{contact}/edit/", views_edit.contact_edit_view, name="contact_edit"),
    path(f"{contact}/deactivate/", views_edit.contact_deactivate_view, name="contact_deactivate"),
    path(f"{contact}/reveal/", views_privacy.contact_reveal_view, name="contact_reveal"),
    path(f"{contact}/privacy/", views_privacy.contact_privacy_view, name="contact_privacy"),
    path(f"{contact}/export/", views_privacy.contact_export_view, name="contact_export"),
    path(f"{contact}/erase/", views_privacy.contact_erase_view, name="contact_erase"),
    path("<int:customer_id>/addresses/new/", views_edit.address_add_view, name="address_add"),
    path(
        "<int:customer_id>/addresses/<int:address_id>/edit/",
        views_edit.address_edit_view,
        name="address_edit",
    ),
    path("<int:customer_id>/invoicing/", views_edit.invoicing_edit_view, name="invoicing"),
    path(
        "<int:customer_id>/invoicing/reveal/",
        views_privacy.invoicing_reveal_view,
        name="invoicing_reveal",
    ),
    # Stage transitions (C2.1): POST /customers/<id>/<action>/, e.g. mark-lost.
    path("<int:customer_id>/<slug:action>/", views.customer_transition_view, name="transition"),
]
