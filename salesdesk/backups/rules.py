"""Backup policies (company rules as data) and event labels (R2.4)."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies

GROUP = _("Backups")
TIMES = tuple((f"{hour:02d}:{minute:02d}",) * 2 for hour in range(24) for minute in (0, 30))

policies.register(
    "backups.enabled",
    True,
    _("Back up daily"),
    help_text=_("Write an encrypted backup of the database and files every day (R2.4)."),
    kind="bool",
    group=GROUP,
)
policies.register(
    "backups.daily_at",
    "02:30",
    _("Time of the daily backup"),
    help_text=_("Local time; the backup starts within 15 minutes after it."),
    kind="choice",
    choices=TIMES,
    group=GROUP,
)
policies.register(
    "backups.verify",
    True,
    _("Verify each daily backup"),
    help_text=_("Restore each daily backup into a scratch database and compare its checksums."),
    kind="bool",
    group=GROUP,
)
policies.register(
    "backups.keep_days",
    14,
    _("Days to keep backups"),
    help_text=_("Older backup files are removed, except the newest ones kept by count."),
    kind="int",
    minimum=1,
    maximum=3650,
    group=GROUP,
)
policies.register(
    "backups.keep_count",
    7,
    _("Newest backups always kept"),
    kind="int",
    minimum=1,
    maximum=1000,
    group=GROUP,
)
policies.register(
    "backups.directory",
    "",
    _("Backup directory"),
    help_text=_(
        "An absolute path on the server; empty means the backups folder in the data dir. "
        "Keep a copy elsewhere too."
    ),
    kind="str",
    group=GROUP,
)

EVENT_LABELS = {
    "backup.created": _("Backup written"),
    "backup.failed": _("Backup failed"),
    "backup.verified": _("Backup verified"),
    "backup.verify_failed": _("Backup verification failed"),
    "backup.pruned": _("Old backup file removed"),
}
