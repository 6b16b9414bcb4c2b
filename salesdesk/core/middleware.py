"""Render a DomainError raised by a page view as a flash message or an HTMX error fragment."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.html import format_html

from salesdesk.core import policies
from salesdesk.core.errors import DomainError


class PolicyCacheMiddleware:
    """Read each company policy at most once per request (an order review asks for ~10)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with policies.frozen():
            return self.get_response(request)


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        if getattr(request, "htmx", False):
            body = format_html(
                '<div class="alert alert-error" role="alert" data-code="{}">{}</div>',
                exception.code,
                exception.message,
            )
            response = HttpResponse(body, status=exception.status)
            # Show the message in the page's error slot whatever the request targeted.
            response["HX-Retarget"] = "#htmx-errors"
            response["HX-Reswap"] = "innerHTML"
            return response
        messages.error(request, str(exception.message))
        return redirect(request.META.get("HTTP_REFERER") or "/")
