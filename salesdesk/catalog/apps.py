from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "salesdesk.catalog"
    label = "catalog"
    verbose_name = _("Catalogue and stock")

    def ready(self) -> None:
        from salesdesk.audit import verbs
        from salesdesk.catalog import demo, importing  # noqa: F401  (registrations)
        from salesdesk.catalog.pricing import EVENT_LABELS as PRICING_LABELS
        from salesdesk.catalog.services import EVENT_LABELS
        from salesdesk.core import navigation

        navigation.register(
            _("Products"), "catalog:products", permission="catalog.view_product", order=40
        )
        for verb, label in (EVENT_LABELS | PRICING_LABELS).items():
            verbs.register(verb, label)
