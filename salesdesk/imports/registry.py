"""The kinds of import: apps register their `Importer` classes from AppConfig.ready()."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import NotFound
from salesdesk.imports.base import Importer

_IMPORTERS: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    """Make `importer` available to the CLI and the upload pages (usable as a decorator)."""
    if not importer.kind or not importer.permission or not importer.columns:
        raise ValueError(f"{importer.__name__}: an importer needs a kind, permission and columns")
    known = _IMPORTERS.get(importer.kind)
    if known is not None and known is not importer:
        raise ValueError(f"import kind {importer.kind!r} registered twice")
    _IMPORTERS[importer.kind] = importer
    return importer


def importer_for(kind: str) -> type[Importer]:
    try:
        return _IMPORTERS[kind]
    except KeyError:
        raise NotFound(
            _("No such kind of import: %(kind)s.") % {"kind": kind}, extra={"kind": kind}
        ) from None


def kinds() -> list[str]:
    return sorted(_IMPORTERS)


def available_to(user: Any) -> list[type[Importer]]:
    return [_IMPORTERS[kind] for kind in kinds() if _IMPORTERS[kind].may_import(user)]
