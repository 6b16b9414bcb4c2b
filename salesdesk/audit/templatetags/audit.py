"""`{% timeline obj %}`: the event timeline of any object (the view checked visibility)."""

from django import template

from salesdesk.audit import verbs
from salesdesk.audit.selectors import event_list_for

register = template.Library()


@register.inclusion_tag("audit/partials/timeline.html")
def timeline(subject, limit: int = 100):
    return {"events": list(event_list_for(subject)[:limit])}


@register.filter
def verb_label(verb: str):
    return verbs.label(verb)
