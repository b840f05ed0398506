"""Minute notes typed during the meeting, and the minutes document gathered for the PDF."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from stepdesk.domain import REFUSALS, AttendanceStatus, Outcome, PanelStatus, Role
from stepdesk.domain import RequestStatus as S
from stepdesk.errors import NotFoundError, PermissionDeniedError, StaleRecordError, ValidationError
from stepdesk.persistence.models import (
    AgendaItem,
    AuditEvent,
    Decision,
    MinutesVersion,
    Panel,
    User,
)
from stepdesk.quorum import Member, assess
from stepdesk.services import audit
from stepdesk.services.amendments import changes_of, may_approve, outstanding
from stepdesk.services.convert import attendance_row, decision_view, panel_row
from stepdesk.services.document_views import (
    ApprovedMinutes,
    DecisionChangeRow,
    DissentRow,
    MinutesApproval,
    MinutesDocument,
    MinutesItem,
    MinutesVersionRow,
    QuoracyView,
    QuorumPartRow,
    change_note_for,
)
from stepdesk.services.panels import agenda_rows, load_panel, lock_panel
from stepdesk.services.permissions import require
from stepdesk.services.transitions import move_request
from stepdesk.services.workspace import Actor, Workspace

MAX_CHANGE_NOTE = 4_000

# Renders a minutes document to PDF bytes. Passed in by the caller (reports.minutes), so the
# core never imports ReportLab.
RenderMinutes = Callable[[MinutesDocument], bytes]

MAX_NOTES = 200_000


def notes_token(text: str | None) -> str:
    """A short fingerprint of minute notes as an editor last loaded or saved them.

    Passed back as ``based_on`` when saving: if the notes stored now have another
    fingerprint, someone else saved in between (two co-ordinators on a shared database).
    """
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()[:32]


class StaleNotesError(StaleRecordError):
    """Someone else saved these minute notes since this editor loaded them; nothing was saved.

    Nothing is lost: ``mine`` is the text that was not saved, ``theirs`` the text saved now,
    and ``merged`` both, theirs first and then mine under a marked line, for the editor to
    show (and autosave) so the co-ordinator can tidy them into one.
    """

    def __init__(
        self,
        item_id: int,
        theirs: str,
        mine: str,
        changed_by: str | None,
        changed_at: dt.datetime | None,
    ) -> None:
        super().__init__("minute notes", changed_by, changed_at)
        who = changed_by or "someone else"
        when = f" at {changed_at:%H:%M}" if changed_at else ""
        self.args = (
            f"These minute notes were changed by {who}{when} while you were typing, so your "
            "last changes were not saved over theirs. Both are kept in the editor: theirs, "
            "then yours below a marked line. Tidy them into one; that is saved as usual.",
        )
        self.item_id = item_id
        self.theirs = theirs
        self.mine = mine
        self.merged = merge_notes(theirs, mine, who, when)

    def __str__(self) -> str:
        return str(self.args[0])


def merge_notes(theirs: str, mine: str, who: str, when: str = "") -> str:
    """Theirs, then mine below a marked line (mine alone if it already contains theirs)."""
    if theirs and theirs in mine:
        return mine
    if not theirs.strip():
        return mine
    marker = f"--- Not saved: your version (notes changed by {who}{when}) ---"
    return f"{theirs.rstrip()}\n\n{marker}\n{mine}"


def save_item_notes(
    ws: Workspace, actor: Actor, item_id: int, text: str, based_on: str | None = None
) -> str:
    """Save the co-ordinator's minute notes for one item (autosave); returns when, as text.

    ``based_on`` is :func:`notes_token` of the notes as the editor last loaded or saved them;
    ``None`` skips the check (the command line, tests).

    Raises:
        StaleNotesError: someone else saved other notes for the item since; nothing is saved
            and the error carries both texts.
    """
    require(actor, "minutes.edit")
    if len(text) > MAX_NOTES:
        text = text[:MAX_NOTES]
    with ws.db.session() as s:
        # Locked until the save commits (PostgreSQL; SQLite serialises writers anyway).
        item = s.get(AgendaItem, item_id, with_for_update=True)
        if item is None:
            raise NotFoundError(f"No agenda item with id {item_id}.")
        if item.notes == text:
            return f"{item.notes_saved_at:%H:%M:%S}" if item.notes_saved_at else ""
        if based_on is not None and based_on != notes_token(item.notes):
            by = s.scalars(
                select(User.name)
                .join(AuditEvent, AuditEvent.user_id == User.id)
                .where(AuditEvent.entity == "agenda_item.notes", AuditEvent.entity_id == item.id)
                .order_by(AuditEvent.id.desc())
                .limit(1)
            ).first()
            raise StaleNotesError(item.id, item.notes or "", text, by, item.notes_saved_at)
        item.notes = text
        item.notes_saved_at = ws.now()
        # Notes are saved as they are typed: audit the fact and size, not every keystroke's text.
        audit.record(s, ws, actor, "change", "agenda_item.notes", item.id, length=len(text))
        return f"{item.notes_saved_at:%H:%M:%S}"


def _dissents(decision: Decision) -> list[DissentRow]:
    """Named dissent; a decision recorded before named dissent existed keeps its free text."""
    rows = [DissentRow(d.name, d.view) for d in decision.dissents]
    if not rows and decision.dissent and decision.dissent.strip():
        rows.append(DissentRow("", decision.dissent))
    return rows


def _quoracy(ws: Workspace, panel: Panel) -> QuoracyView:
    present = [
        Member(a.user.name, a.user.role, a.user.team.service if a.user.team else None)
        for a in panel.attendance
        if a.status == AttendanceStatus.PRESENT
    ]
    verdict = assess(ws.profile.meeting_type(panel.meeting_type), present)
    return QuoracyView(
        quorate=verdict.quorate,
        explanation=verdict.explain(),
        parts=[
            QuorumPartRow(p.part.who, p.part.count, list(p.met_by), p.met) for p in verdict.parts
        ],
    )


def _carried_to(ws: Workspace, item: AgendaItem) -> str | None:
    target = item.carried_forward_to
    if target is None:
        return None
    name = ws.profile.meeting_name(target.meeting_type)
    return f"{name}, {target.starts_at:%d/%m/%Y %H:%M} (panel {target.id})"


def _version_rows(panel: Panel) -> list[MinutesVersionRow]:
    return [
        MinutesVersionRow(
            v.version,
            v.approved_by.name if v.approved_by else "Unknown",
            v.approved_at,
            v.change_note,
            v.sha256,
        )
        for v in panel.minutes_versions
    ]


def _build(
    ws: Workspace,
    actor: Actor,
    panel: Panel,
    *,
    approval: MinutesApproval | None = None,
    versions: list[MinutesVersionRow] | None = None,
    changes: list[DecisionChangeRow] | None = None,
) -> MinutesDocument:
    rows = agenda_rows(panel, ws)
    by_item: dict[int, list[DecisionChangeRow]] = {}
    for change in changes or []:
        by_item.setdefault(change.agenda_item_id, []).append(change)
    by_status = {
        status: [attendance_row(a) for a in panel.attendance if a.status == status]
        for status in AttendanceStatus
    }
    items = [
        MinutesItem(
            row=row,
            reasons=item.request.reasons,
            notes=item.notes,
            decision=decision_view(item.decision) if item.decision else None,
            held_back_reason=item.held_back_reason,
            carried_forward_to=_carried_to(ws, item),
            carry_reason=item.carry_reason,
            dissents=_dissents(item.decision) if item.decision else [],
            changes=by_item.get(item.id, []),
        )
        for row, item in zip(rows, panel.items, strict=True)
    ]
    return MinutesDocument(
        panel=panel_row(panel, ws.profile),
        profile_name=ws.profile.name,
        present=by_status[AttendanceStatus.PRESENT],
        apologies=by_status[AttendanceStatus.APOLOGIES],
        absent=by_status[AttendanceStatus.ABSENT] + by_status[AttendanceStatus.INVITED],
        items=items,
        generated_at=ws.now(),
        generated_by=actor.name,
        quoracy=_quoracy(ws, panel),
        minutes_by=panel.minutes_by.name if panel.minutes_by else _minute_taker(panel),
        approval=approval,
        versions=versions if versions is not None else _version_rows(panel),
    )


def _minute_taker(panel: Panel) -> str | None:
    """Who took the minutes: the panel's record, else the member invited as minute-taker."""
    for a in panel.attendance:
        if a.panel_role == "minutes" and a.status == AttendanceStatus.PRESENT:
            return a.user.name
    return None


def minutes_document(ws: Workspace, actor: Actor, panel_id: int) -> MinutesDocument:
    """Everything the minutes print, read in one unit of work: the working (draft) minutes."""
    require(actor, "minutes.export")
    with ws.db.session() as s:
        panel = load_panel(s, panel_id)
        doc = _build(ws, actor, panel, changes=changes_of(s, [panel]).get(panel.id, []))
        audit.record(s, ws, actor, "export", "panel.minutes", panel.id)
        return doc


def can_approve(ws: Workspace, actor: Actor, panel_id: int) -> bool:
    """Whether ``actor`` may approve this panel's minutes now (the GUI enables the action)."""
    with ws.db.session() as s:
        panel = s.get(Panel, panel_id)
        return (
            panel is not None
            and panel.status == PanelStatus.FINISHED
            and may_approve(actor, panel.chair_id)
        )


def snapshot(doc: MinutesDocument) -> dict[str, object]:
    """The document as plain JSON, stored with an approved version."""
    loaded: dict[str, object] = json.loads(json.dumps(dataclasses.asdict(doc), default=str))
    return loaded


def approve_minutes(
    ws: Workspace,
    actor: Actor,
    panel_id: int,
    change_note: str | None = None,
    *,
    render: RenderMinutes,
) -> ApprovedMinutes:
    """The chair approves the minutes: a frozen version with its PDF and hash (T-MINUTES-48H).

    The first approval makes version 1. Approving again is a correction: it needs a change
    note saying what changed, and makes version N+1 recording that note and who approved it;
    the earlier versions stay as they were. When decisions changed since the last version
    (:mod:`stepdesk.services.amendments`), the correction takes them in: without a note of
    the chair's, its change note is derived from them, and it prints each one's history.
    """
    note = (change_note or "").strip()[:MAX_CHANGE_NOTE] or None
    with ws.db.session() as s:
        lock_panel(s, panel_id)  # a decision changed meanwhile waits for this approval
        panel = load_panel(s, panel_id)
        if not may_approve(actor, panel.chair_id):
            raise PermissionDeniedError(
                f"{actor.name} ({Role(actor.role).label}) may not approve these minutes: "
                f"only the chair of the panel or a panel chair may."
            )
        if panel.status != PanelStatus.FINISHED:
            raise ValidationError(
                "panel", "the meeting has not finished: finish the meeting, then approve"
            )
        previous = panel.minutes_versions
        changes = changes_of(s, [panel]).get(panel.id, [])
        if note is None:
            note = change_note_for(outstanding(panel, changes))[:MAX_CHANGE_NOTE] or None
        if previous and note is None:
            last = previous[-1]
            raise ValidationError(
                "change note",
                f"version {last.version} was approved on {last.approved_at:%d/%m/%Y %H:%M}; "
                f"say what this correction changes",
            )
        number = max((v.version for v in previous), default=0) + 1
        at = ws.now()
        approval = MinutesApproval(number, actor.name, at, note)
        history = [
            *_version_rows(panel),
            MinutesVersionRow(number, actor.name, at, note),
        ]
        doc = _build(ws, actor, panel, approval=approval, versions=history, changes=changes)
        pdf = render(doc)
        digest = hashlib.sha256(pdf).hexdigest()
        version = MinutesVersion(
            panel=panel,
            version=number,
            content=snapshot(doc),
            pdf=pdf,
            sha256=digest,
            approved_by_id=actor.user_id,
            approved_at=at,
            change_note=note,
        )
        s.add(version)
        audit.record(
            s, ws, actor, "approve", "panel.minutes", panel.id, version=number, sha256=digest
        )
        _close_refusals(s, ws, actor, panel, number, at)
        return ApprovedMinutes(panel.id, number, actor.name, at, note, digest, pdf)


def _close_refusals(
    s: Session, ws: Workspace, actor: Actor, panel: Panel, version: int, at: dt.datetime
) -> None:
    """The approved minutes make each refusal final: its request moves decided → closed.

    The approver acts as the panel's chair here, whatever their account's role (a panel may
    be chaired by any member the co-ordinator named): the move is the approval's consequence.
    """
    as_chair = dataclasses.replace(actor, role=Role.CHAIR.value)
    for item in panel.items:
        decision, request = item.decision, item.request
        if decision is None or decision.outcome not in REFUSALS:
            continue
        if request.status != S.DECIDED:
            continue  # closed already (an earlier version, or by hand)
        note = (
            f"Panel decision final: {Outcome(decision.outcome).label}. The chair approved the "
            f"minutes of {panel.starts_at:%d/%m/%Y} (version {version}) on {at:%d/%m/%Y %H:%M}."
        )
        move_request(s, ws, as_chair, request, S.CLOSED, note)


def approved_minutes(
    ws: Workspace, actor: Actor, panel_id: int, version: int | None = None
) -> ApprovedMinutes | None:
    """The stored PDF of an approved version (the latest by default); ``None`` if none yet."""
    require(actor, "minutes.export")
    with ws.db.session() as s:
        panel = s.get(Panel, panel_id)
        if panel is None:
            raise NotFoundError(f"No panel with id {panel_id}: run 'stepdesk panels' to list them.")
        versions = [v for v in panel.minutes_versions if version is None or v.version == version]
        if not versions:
            if version is not None:
                raise NotFoundError(f"Panel {panel_id} has no approved version {version}.")
            return None
        v = versions[-1]
        audit.record(s, ws, actor, "export", "panel.minutes", panel.id, version=v.version)
        return ApprovedMinutes(
            panel.id,
            v.version,
            v.approved_by.name if v.approved_by else "Unknown",
            v.approved_at,
            v.change_note,
            v.sha256 or "",
            v.pdf or b"",
        )


def minutes_versions(ws: Workspace, actor: Actor, panel_id: int) -> list[MinutesVersionRow]:
    """The approved versions of a panel's minutes, oldest first."""
    require(actor, "minutes.export")
    with ws.db.session() as s:
        panel = s.get(Panel, panel_id)
        if panel is None:
            raise NotFoundError(f"No panel with id {panel_id}: run 'stepdesk panels' to list them.")
        return _version_rows(panel)
