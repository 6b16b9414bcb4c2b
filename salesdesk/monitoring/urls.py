from django.urls import path

from salesdesk.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.warning_board_view, name="board"),
    path("warnings/<int:warning_id>/", views.warning_detail_view, name="warning_detail"),
    path(
        "warnings/<int:warning_id>/acknowledge/",
        views.warning_acknowledge_view,
        name="warning_acknowledge",
    ),
    path("warnings/<int:warning_id>/close/", views.warning_close_view, name="warning_close"),
    path("indicators/", views.indicator_list_view, name="indicators"),
    path("indicators/<slug:code>/", views.indicator_history_view, name="indicator_history"),
    path("run/", views.monitoring_run_view, name="run"),
]
