from django.urls import path, re_path

from salesdesk.orders import views, views_actions, views_changes, views_entry, views_list

app_name = "orders"
order = "<int:order_id>"
urlpatterns = [
    path("", views_list.order_list_view, name="list"),
    path("new/", views_entry.order_create_view, name="create"),
    path("entry/customers/", views_entry.entry_customers_view, name="entry_customers"),
    path("entry/product/", views_entry.entry_product_view, name="entry_product"),
    path("entry/totals/", views_entry.entry_totals_view, name="entry_totals"),
    path(f"{order}/", views.order_detail_view, name="detail"),
    path(f"{order}/edit/", views_entry.order_edit_view, name="edit"),
    re_path(
        r"^(?P<order_id>\d+)/(?P<action>submit|approve|reject|cancel)/$",
        views_actions.order_transition_view,
        name="transition",
    ),
    path(f"{order}/guarantee/", views_actions.order_guarantee_view, name="guarantee"),
    path(
        f"{order}/credit-release/", views_actions.order_credit_release_view, name="credit_release"
    ),
    path(f"{order}/override/", views_actions.order_override_view, name="override"),
    path(f"{order}/confirm/", views_actions.order_confirm_view, name="confirm"),
    path(f"{order}/delays/", views_actions.order_delay_view, name="delay"),
    path(f"{order}/status-link/", views_actions.order_status_link_view, name="status_link"),
    path(
        f"{order}/guarantees/<int:guarantee_id>/document/",
        views_actions.guarantee_document_view,
        name="guarantee_document",
    ),
    path(f"{order}/changes/new/", views_changes.change_request_create_view, name="change_create"),
    re_path(
        r"^changes/(?P<change_id>\d+)/(?P<decision>approve|reject)/$",
        views_changes.change_request_decide_view,
        name="change_decide",
    ),
    path("status/<str:token>/", views.public_status_view, name="public_status"),
]
