"""Analytics pages (A2–A4): dashboards, analysis, decision support and data quality."""

from django.urls import path  # noqa: F401

app_name = "analytics"
urlpatterns: list = []
