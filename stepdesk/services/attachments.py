"""Files stored with a request (C-EVIDENCE): added, opened (checked against their hash), removed."""

from __future__ import annotations

import hashlib

from stepdesk.domain import (
    AttachmentKind,
)
from stepdesk.errors import NotFoundError, StepDeskError, ValidationError
from stepdesk.persistence.models import (
    Attachment,
)
from stepdesk.services import audit
from stepdesk.services.convert import (
    attachment_row,
)
from stepdesk.services.permissions import require
from stepdesk.services.request_loading import _editable
from stepdesk.services.views import AttachmentRow
from stepdesk.services.workspace import Actor, Workspace

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024


def attachment_content(ws: Workspace, actor: Actor, attachment_id: int) -> tuple[str, bytes]:
    """An attachment's file name and bytes, checked against its stored hash. Audited."""
    require(actor, "case.view")
    with ws.db.session() as s:
        att = s.get(Attachment, attachment_id)
        if att is None:
            raise NotFoundError(f"No attachment with id {attachment_id}.")
        content = att.content or b""
        if att.sha256 and hashlib.sha256(content).hexdigest() != att.sha256:
            raise StepDeskError(
                f"The stored copy of '{att.title}' does not match its fingerprint (SHA-256): "
                "it may be damaged. Ask the worker to attach it again."
            )
        audit.record(s, ws, actor, "open", "attachment", att.id, request=att.request_id)
        name = att.filename or f"{att.title}.bin"
        return name, content


def add_attachment(
    ws: Workspace,
    actor: Actor,
    request_id: int,
    kind: str,
    filename: str,
    content: bytes,
    title: str = "",
) -> AttachmentRow:
    """Store a file with the request, in the database with its SHA-256 (C-EVIDENCE)."""
    if kind not in [k.value for k in AttachmentKind]:
        options = ", ".join(k.label for k in AttachmentKind)
        raise ValidationError("Document kind", f"'{kind}' is not one of: {options}.")
    if not content:
        raise ValidationError("File", f"'{filename}' is empty: choose the saved document.")
    if len(content) > MAX_ATTACHMENT_BYTES:
        size = len(content) / 1024 / 1024
        raise ValidationError(
            "File",
            f"'{filename}' is {size:.0f} MB; the limit is "
            f"{MAX_ATTACHMENT_BYTES // 1024 // 1024} MB. Save a smaller copy (PDF) and "
            "attach that.",
        )
    with ws.db.session() as s:
        request = _editable(s, actor, request_id, None)
        stem = filename.rsplit(".", 1)[0] if "." in filename else filename
        att = Attachment(
            request_id=request.id,
            kind=kind,
            title=title.strip() or stem or AttachmentKind(kind).label,
            filename=filename,
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            added_at=ws.now(),
        )
        s.add(att)
        s.flush()
        audit.record(
            s, ws, actor, "attach", "request", request.id, attachment=att.id, sha256=att.sha256
        )
        return attachment_row(att)


def remove_attachment(ws: Workspace, actor: Actor, attachment_id: int) -> None:
    """Take an attachment off a draft or returned request."""
    with ws.db.session() as s:
        att = s.get(Attachment, attachment_id)
        if att is None:
            raise NotFoundError(f"No attachment with id {attachment_id}.")
        _editable(s, actor, att.request_id, None)
        s.delete(att)
        audit.record(s, ws, actor, "detach", "request", att.request_id, attachment=attachment_id)
