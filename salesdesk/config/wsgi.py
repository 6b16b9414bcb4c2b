"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesdesk.config.settings")
application = get_wsgi_application()
# Import every URL pattern now, while the worker boots, rather than in the first request it
# serves: with them come the API's operations and their schemas (1 s measured).
get_resolver().url_patterns  # noqa: B018
