from django.urls import path

from salesdesk.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.reportpack_list_view, name="list"),
    path("generate/", views.reportpack_generate_view, name="generate"),
    path("<int:pack_id>/", views.reportpack_detail_view, name="detail"),
    path("<int:pack_id>/progress/", views.reportpack_progress_view, name="progress"),
    path("<int:pack_id>/deliver/", views.reportpack_deliver_view, name="deliver"),
    path("<int:pack_id>/pack.<str:file_format>", views.reportpack_file_view, name="file"),
]
