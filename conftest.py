"""Test set-up: the personas and browser fixtures every test can ask for.

The private data dir per test process is set in salesdesk/config/settings_test.py.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesdesk.config.settings_test")
# Playwright's sync API runs an event loop in the test thread; the ORM calls in the same
# browser tests are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


from salesdesk.testing.browser import *  # noqa: F403
from salesdesk.testing.personas import *  # noqa: F403
