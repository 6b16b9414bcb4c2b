from django.urls import path

from salesdesk.audit import views

app_name = "audit"
urlpatterns = [
    path("events/", views.event_list_view, name="event_list"),
    path("access-log/", views.access_log_view, name="access_log"),
]
