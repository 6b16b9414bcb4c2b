from django.urls import path

from salesdesk.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_index_view, name="index"),
    path("<slug:kind>/new/", views.import_new_view, name="new"),
    path("<slug:kind>/template.<str:file_format>", views.import_template_view, name="template"),
    path("jobs/<int:job_id>/", views.import_job_view, name="job"),
    path("jobs/<int:job_id>/progress/", views.import_job_progress_view, name="progress"),
    path("jobs/<int:job_id>/start/", views.import_job_start_view, name="start"),
    path("jobs/<int:job_id>/<str:which>.csv", views.import_job_file_view, name="file"),
]
