"""The JSON API under /api/v1/ (DESIGN §5): auth, error rendering and the routers of all apps."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from salesdesk.accounts.api import BearerTokenAuth
from salesdesk.accounts.api import router as accounts_router
from salesdesk.analytics.api import router as analytics_router
from salesdesk.backups.api import router as backups_router
from salesdesk.catalog.api import router as catalog_router
from salesdesk.contracts.api import router as contracts_router
from salesdesk.core.api import router as core_router
from salesdesk.core.errors import DomainError
from salesdesk.customers.api import router as customers_router
from salesdesk.finance.api import router as finance_router
from salesdesk.notifications.api import router as notifications_router
from salesdesk.orders.api import router as orders_router
from salesdesk.risk.api import router as risk_router
from salesdesk.shipping.api import router as shipping_router
from salesdesk.supervision.api import router as supervision_router
from salesdesk.workorders.api import router as workorders_router
from salesdesk.workqueue.api import router as workqueue_router


def _docs_decorator(view):
    # Swagger UI sets inline styles and data: images; only the docs page gets these.
    return csp_update({"style-src": [SELF, UNSAFE_INLINE], "img-src": [SELF, "data:"]})(view)


api = NinjaAPI(
    title="salesdesk API",
    version="1",
    description=(
        "Sales administration API. Authenticate with `Authorization: Bearer <token>` "
        "(create one on your profile page or with `salesdesk createtoken USERNAME`). "
        'Errors are `{"code", "message", "extra"}`.'
    ),
    auth=[BearerTokenAuth(), django_auth],
    urls_namespace="api",
    docs_decorator=_docs_decorator,
)


def _error(request, status: int, code: str, message, extra: dict | None = None):
    return api.create_response(
        request, {"code": code, "message": str(message), "extra": extra or {}}, status=status
    )


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        fields.setdefault(".".join(location) or "body", []).append(error.get("msg", ""))
    return _error(
        request, 422, "validation_failed", _("Some fields are not valid."), {"fields": fields}
    )


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return _error(request, 401, "unauthorized", _("Sign in or send a valid bearer token."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(DjangoPermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, "permission_denied", _("You may not do this."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    code = {
        400: "bad_request",
        401: "unauthorized",
        403: "permission_denied",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
    }
    return _error(request, exc.status_code, code.get(exc.status_code, "error"), exc.message)


api.add_router("/", accounts_router)
api.add_router("/", core_router)
api.add_router("/", workqueue_router)
api.add_router("/", notifications_router)
api.add_router("/", customers_router)
api.add_router("/", catalog_router)
api.add_router("/", orders_router)
api.add_router("/", contracts_router)
api.add_router("/", workorders_router)
api.add_router("/", shipping_router)
api.add_router("/", finance_router)
api.add_router("/", analytics_router)
api.add_router("/", risk_router)
api.add_router("/", supervision_router)
api.add_router("/", "salesdesk.supervision.api_evaluation.router")
api.add_router("/", "salesdesk.analytics.api_analysis.router")
api.add_router("/", "salesdesk.monitoring.api.router")
api.add_router("/", "salesdesk.reports.api.router")
api.add_router("/", backups_router)
api.add_router("/", "salesdesk.training.api.router")
