"""The platform's own policies; apps register theirs in their AppConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies

policies.register(
    "mail.max_attempts",
    5,
    _("E-mail delivery attempts"),
    help_text=_("How often the outbox tries to send one e-mail before it is marked failed."),
    kind="int",
    minimum=1,
    maximum=20,
    group=_("Notifications"),
)
policies.register(
    "mail.retry_minutes",
    5,
    _("Minutes between e-mail attempts"),
    help_text=_("The wait before the first retry; each later retry waits twice as long."),
    kind="int",
    minimum=1,
    maximum=1440,
    group=_("Notifications"),
)
policies.register(
    "workqueue.due_soon_hours",
    24,
    _("Hours before a due time that a task counts as due soon"),
    kind="int",
    minimum=1,
    maximum=720,
    group=_("Work queue"),
)
