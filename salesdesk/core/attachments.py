"""Attachments on any record (U9): type- and size-checked, never public, voided not deleted.

Apps register who may see their records' files with `register_access(Model, can_see)`; the
download view asks that function, so a file is never served to someone who may not see the
record it belongs to.
"""

import mimetypes
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.core import policies
from salesdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from salesdesk.core.models import Attachment

ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
# The first bytes of the binary types, so a renamed file cannot pass as a PDF or image.
SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF8",),
    ".webp": (b"RIFF",),
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
}

policies.register(
    "attachments.max_megabytes",
    20,
    _("Largest attachment (MB)"),
    kind="int",
    minimum=1,
    maximum=200,
    group=_("Files"),
)

_ACCESS: dict[str, Callable[[Any, models.Model], bool]] = {}


def register_access(model: type[models.Model], can_see: Callable[[Any, models.Model], bool]):
    _ACCESS[model._meta.label_lower] = can_see


def check_upload(upload, *, allowed: tuple[str, ...] | None = None) -> str:
    """The file's extension if its name, size and first bytes are acceptable."""
    if upload is None:
        raise ValidationFailed(_("Choose a file."), extra={"field": "file"})
    suffix = PurePath(upload.name or "").suffix.lower()
    permitted = allowed or tuple(ALLOWED_TYPES)
    if suffix not in permitted:
        raise ValidationFailed(
            _("Files of type %(type)s are not accepted. Allowed: %(allowed)s.")
            % {"type": suffix or "?", "allowed": ", ".join(permitted)},
            code="file_type",
            extra={"field": "file"},
        )
    limit = policies.value("attachments.max_megabytes") * 1024 * 1024
    if upload.size > limit:
        raise ValidationFailed(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            code="file_too_large",
            extra={"field": "file"},
        )
    head = upload.read(8)
    upload.seek(0)
    if suffix in SIGNATURES and not head.startswith(SIGNATURES[suffix]):
        raise ValidationFailed(
            _("The file's content does not match its name."),
            code="file_type",
            extra={"field": "file"},
        )
    return suffix


def attachment_add(
    *,
    actor: Any,
    subject: models.Model,
    upload,
    kind: str = "",
    note: str = "",
    allowed: tuple[str, ...] | None = None,
) -> Attachment:
    """Store a checked file on a record and log it; the caller checked the actor's rights."""
    suffix = check_upload(upload, allowed=allowed)
    with transaction.atomic():
        attachment = Attachment.objects.create(
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            kind=kind,
            file=upload,
            original_name=PurePath(upload.name).name[:200],
            mime_type=ALLOWED_TYPES.get(suffix) or mimetypes.guess_type(upload.name)[0] or "",
            size=upload.size,
            note=note[:200],
            uploaded_by=actor,
        )
        event_record(
            actor=actor,
            verb="attachment.added",
            subject=subject,
            data={"attachment_id": attachment.pk, "kind": kind, "name": attachment.original_name},
        )
    return attachment


def attachments_of(subject: models.Model, *, include_voided: bool = False):
    items = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    )
    return items if include_voided else items.filter(voided_at__isnull=True)


def attachment_for_download(*, actor: Any, attachment_id: int) -> Attachment:
    attachment = Attachment.objects.select_related("content_type").filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("No such file."))
    subject = attachment.content_type.get_object_for_this_type(pk=attachment.object_id)
    can_see = _ACCESS.get(attachment.content_type.model_class()._meta.label_lower)
    if can_see is None or not can_see(actor, subject):
        raise NotFound(_("No such file."))
    return attachment


def attachment_void(*, actor: Any, attachment_id: int, reason: str) -> Attachment:
    """Withdraw a file; it stays stored and listed as voided (nothing is deleted)."""
    attachment = attachment_for_download(actor=actor, attachment_id=attachment_id)
    if attachment.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded a file may void it."))
    with transaction.atomic():
        attachment.voided_at = timezone.now()
        attachment.note = (reason or "")[:200]
        attachment.save(update_fields=["voided_at", "note", "updated_at"])
        subject = attachment.content_type.get_object_for_this_type(pk=attachment.object_id)
        event_record(
            actor=actor,
            verb="attachment.voided",
            subject=subject,
            note=reason,
            data={"attachment_id": attachment.pk},
        )
    return attachment
