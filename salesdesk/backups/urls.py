from django.urls import path

from salesdesk.backups import views

app_name = "backups"
urlpatterns = [
    path("", views.backup_list_view, name="list"),
    path("start/", views.backup_start_view, name="start"),
    path("<int:run_id>/verify/", views.backup_verify_view, name="verify"),
]
