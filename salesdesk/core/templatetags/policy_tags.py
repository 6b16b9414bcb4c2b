"""Show a policy value as people read it: yes/no, choice labels, lists joined."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def policy_display(value, definition) -> str:
    if definition.kind == "bool":
        return _("Yes") if value else _("No")
    if definition.kind == "choice":
        return str(dict(definition.choices).get(value, value))
    if definition.kind == "list":
        return ", ".join(str(item) for item in value)
    return str(value)
