from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "salesdesk.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from salesdesk.accounts import demo  # noqa: F401  (registers the demo users)
        from salesdesk.accounts.roles import sync_roles_after_migrate

        # Permissions are created by Django's own post_migrate handler; the role groups are
        # synced right after it so they always match accounts/roles.py (see
        # docs/decisions/0003-roles-synced-after-migrate.md).
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="salesdesk_sync_roles")
