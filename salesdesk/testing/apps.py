from django.apps import AppConfig


class TestingConfig(AppConfig):
    """Models that exist only in the test database (installed by settings_test only)."""

    name = "salesdesk.testing"
    label = "testing"
    verbose_name = "Testing"
