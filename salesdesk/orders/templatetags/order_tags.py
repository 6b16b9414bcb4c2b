"""Order template helpers."""

from django import template

from salesdesk.orders.review import finding_message as _finding_message

register = template.Library()


@register.filter
def finding_message(item: dict) -> str:
    """A review finding in the reader's language."""
    return _finding_message(item)
