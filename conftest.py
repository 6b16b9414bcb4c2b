"""Test set-up: a private data dir per run, and the personas every test can ask for."""

import os
import tempfile

import pytest

os.environ["SALESDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="salesdesk-test-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesdesk.config.settings_test")
# Playwright's sync API runs an event loop in the test thread; the ORM calls in the same
# browser tests are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    config.addinivalue_line("markers", "req(id): requirement IDs a test covers")


from salesdesk.testing.personas import *  # noqa: E402, F403
