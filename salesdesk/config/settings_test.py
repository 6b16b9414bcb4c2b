"""Settings for the test suite: the real database engines, fast hashing, tasks run inline."""

import os
import tempfile

# Every test process gets a private data dir (keys, SQLite test DB, media), set before the
# settings module reads it, so tests never touch a developer's ./var.
os.environ["SALESDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="salesdesk-test-")

from salesdesk.config.settings import *  # noqa: F403
from salesdesk.config.settings import (
    DATA_DIR,
    DATABASES,
    INSTALLED_APPS,
    STATIC_ROOT,
)

STATIC_ROOT.mkdir(exist_ok=True)

# Test-only models (salesdesk/testing/models.py), created from the models without migrations.
INSTALLED_APPS = [*INSTALLED_APPS, "salesdesk.testing"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests assert the English source text; a test about a translation picks its language itself.
LANGUAGE_CODE = "en"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared-cache memory, so threads in concurrency tests lock like production.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
