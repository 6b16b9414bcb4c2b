"""The main menu: each app contributes entries, shown to users holding the permission."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: Any
    url_name: str
    permission: str | None = None
    order: int = 100


_ENTRIES: list[NavEntry] = []


def register(label: Any, url_name: str, *, permission: str | None = None, order: int = 100):
    entry = NavEntry(label, url_name, permission, order)
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)
    return entry


def menu_for(user, path: str = "") -> list[dict]:
    items = []
    seen = set()  # one page may be registered under several permissions
    for entry in sorted(_ENTRIES, key=lambda e: e.order):
        if entry.permission and not user.has_perm(entry.permission):
            continue
        url = reverse(entry.url_name)
        if url in seen:
            continue
        seen.add(url)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": active})
    return items
