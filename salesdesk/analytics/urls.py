"""Analytics pages (A1–A4): dashboards, analysis, decision support, data quality, market
sizes and the history import."""

from django.urls import path

from salesdesk.analytics import (
    views,
    views_analysis,
    views_decisions,
    views_market,
    views_quality,
)
from salesdesk.analytics.history import views as history_views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard_overview_view, name="overview"),
    path("mine/", views.dashboard_mine_view, name="mine"),
    path("quality/", views_quality.quality_view, name="quality"),
    path("quality/<slug:rule>/", views_quality.quality_rule_view, name="quality_rule"),
    path("analysis/", views_analysis.analysis_view, name="analysis"),
    path("decisions/", views_decisions.decisions_view, name="decisions"),
    path("market-sizes/", views_market.market_sizes_view, name="market_sizes"),
    path("history-import/", history_views.history_import_view, name="history_import"),
    path("history-import/<int:job_id>/", history_views.history_job_view, name="history_job"),
    path(
        "history-import/<int:job_id>/progress/",
        history_views.history_job_progress_view,
        name="history_progress",
    ),
    path(
        "history-import/<int:job_id>/start/",
        history_views.history_job_start_view,
        name="history_start",
    ),
    path(
        "history-import/<int:job_id>/errors.csv",
        history_views.history_job_errors_view,
        name="history_errors",
    ),
]
