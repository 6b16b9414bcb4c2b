"""List pages: sorting from a whitelist, pagination, and the query string without `page`."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

PER_PAGE = 50


def sort_queryset(
    queryset: QuerySet, requested: str, allowed: dict[str, str], default: str
) -> tuple[QuerySet, str]:
    """Order by a whitelisted key (`-key` for descending); unknown keys fall back to default."""
    key = requested.lstrip("-")
    if key not in allowed:
        requested, key = default, default.lstrip("-")
    field = allowed[key]
    descending = requested.startswith("-")
    return queryset.order_by(f"-{field}" if descending else field, "-pk"), requested


def paginate(request, items: Any, per_page: int = PER_PAGE) -> dict[str, Any]:
    paginator = Paginator(items, per_page)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return {
        "page_obj": page_obj,
        "query_without_page": f"{encoded}&" if encoded else "",
        "query_string": encoded,
    }


def query_without(request, *names: str) -> str:
    """The page's query string without the given parameters (for links that replace them)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def sort_columns(request, sort: str, columns) -> dict[str, dict]:
    """Header links for sortable columns: each toggles its direction and says its state
    (`aria_sort`) so screen readers announce the current order."""
    base = query_without(request, "page", "sort", "export")
    prefix = f"{base}&" if base else ""
    result = {}
    for key, label in columns:
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        target = f"-{key}" if state == "ascending" else key
        result[key] = {"label": label, "url": f"?{prefix}sort={target}", "aria_sort": state}
    return result
