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


STATE_FIELDS = ("status", "stage", "state")


@register.filter
def state_label(code: str, event) -> str:
    """The readable label of a state code, from the subject model's state field choices."""
    if not code:
        return ""
    model = event.content_type.model_class()
    for name in STATE_FIELDS:
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: S112 (the model has no such field; try the next name)
            continue
        labels = dict(field.flatchoices)
        if code in labels:
            return str(labels[code])
    return code
