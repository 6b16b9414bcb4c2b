from django.urls import path

from salesdesk.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list_view, name="list"),
    path("<int:notification_id>/read/", views.notification_read_view, name="read"),
    path("read-all/", views.notification_read_all_view, name="read_all"),
    path("outbox/", views.outbox_view, name="outbox"),
    path("outbox/<int:email_id>/retry/", views.outbox_retry_view, name="outbox_retry"),
    path("outbox/<int:email_id>/cancel/", views.outbox_cancel_view, name="outbox_cancel"),
]
