"""URL map: pages per app, the JSON API under /api/v1/, health check, admin."""

from django.contrib import admin
from django.urls import include, path

from salesdesk.config.api import api
from salesdesk.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("salesdesk.accounts.urls")),
    path("audit/", include("salesdesk.audit.urls")),
    path("notifications/", include("salesdesk.notifications.urls")),
    path("settings/", include("salesdesk.core.urls")),
    path("customers/", include("salesdesk.customers.urls")),
    path("", include("salesdesk.workqueue.urls")),
]
