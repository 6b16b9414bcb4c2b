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
    path("orders/", include("salesdesk.orders.urls")),
    path("contracts/", include("salesdesk.contracts.urls")),
    path("work-orders/", include("salesdesk.workorders.urls")),
    path("catalog/", include("salesdesk.catalog.urls")),
    path(
        "files/<int:attachment_id>/",
        core_views.attachment_download_view,
        name="attachment_download",
    ),
    path("imports/", include("salesdesk.imports.urls")),
    path("shipping/", include("salesdesk.shipping.urls")),
    path("finance/", include("salesdesk.finance.urls")),
    path("analytics/", include("salesdesk.analytics.urls")),
    path("risk/", include("salesdesk.risk.urls")),
    path("training/", include("salesdesk.training.urls")),
    path("reports/", include("salesdesk.reports.urls")),
    path("supervision/", include("salesdesk.supervision.urls")),
    path("monitoring/", include("salesdesk.monitoring.urls")),
    path("backups/", include("salesdesk.backups.urls")),
    path("", include("salesdesk.workqueue.urls")),
]
