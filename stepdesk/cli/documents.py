"""``stepdesk panels`` and ``stepdesk pdf …``: list panels, write documents as PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from stepdesk.cli.common import _acting, _open_workspace, _write
from stepdesk.errors import StepDeskError


def cmd_panels(args: argparse.Namespace) -> int:
    """One line per panel: id, date, type, status (tab-separated)."""
    from stepdesk.services.panels import list_panels

    ws = _open_workspace(args.db)
    for panel in list_panels(ws, _acting(ws)):
        print(f"{panel.id}\t{panel.starts_at:%d/%m/%Y}\t{panel.meeting_name}\t{panel.status}")
    return 0


def cmd_pdf_minutes(args: argparse.Namespace) -> int:
    """Write a panel's minutes: the latest approved version, else the draft (watermarked)."""
    from stepdesk.services.minutes import approved_minutes, minutes_document

    ws = _open_workspace(args.db)
    approved = None if args.draft else approved_minutes(ws, _acting(ws), args.panel, args.version)
    if approved is not None:
        _write(Path(args.output), approved.pdf)
        print(
            f"Minutes of panel {args.panel}, approved version {approved.version} "
            f"(sha256 {approved.sha256[:12]}), written to {args.output}."
        )
        return 0
    from reports.minutes import render_minutes

    pdf = render_minutes(minutes_document(ws, _acting(ws), args.panel))
    _write(Path(args.output), pdf)
    print(f"Minutes of panel {args.panel} (DRAFT, not approved) written to {args.output}.")
    return 0


def cmd_pdf_agenda(args: argparse.Namespace) -> int:
    """Write a panel's agenda pack; with ``--circulate``, record its circulation (T-AGENDA-24H).

    Without ``--circulate`` the pack is a preview and nothing is recorded. With it, the
    checks come first (the role may build agendas, the meeting has not started), so a pack
    saying "circulated" is never written without the circulation being recorded.
    """
    from reports.agenda import render_agenda
    from stepdesk.services.documents import agenda_document, record_agenda_circulated

    ws = _open_workspace(args.db)
    actor = _acting(ws)
    if args.circulate:
        from stepdesk.services.panels import get_panel
        from stepdesk.services.permissions import require

        require(actor, "agenda.edit")
        status = get_panel(ws, actor, args.panel).panel.status
        if status != "planned":
            raise StepDeskError(
                f"panel {args.panel}'s meeting is {status.replace('_', ' ')}: its agenda is "
                "no longer circulated (the minutes are the record now); leave out --circulate "
                "for a copy"
            )
    doc = agenda_document(ws, actor, args.panel, for_circulation=args.circulate)
    _write(Path(args.output), render_agenda(doc))
    if not args.circulate:
        print(
            f"Agenda pack of panel {args.panel} written to {args.output} (a preview: not "
            "recorded as circulated; add --circulate when you send it round)."
        )
        return 0
    circulation = record_agenda_circulated(ws, actor, args.panel, doc.circulated_at)
    again = "" if circulation.first else " (re-circulated: the first circulation counts)"
    print(
        f"Agenda pack of panel {args.panel} written to {args.output}. {circulation.text()}{again}"
    )
    return 0


def cmd_pdf_letter(args: argparse.Namespace) -> int:
    """Write the family letter about a decision (or its marked office copy)."""
    from reports.letter import render_letter
    from stepdesk.services.documents import letter_document

    ws = _open_workspace(args.db)
    doc = letter_document(ws, _acting(ws), args.decision)
    _write(Path(args.output), render_letter(doc, office_copy=args.office_copy))
    copy = "office copy" if args.office_copy else "family copy"
    print(f"Letter about decision {args.decision} ({copy}) written to {args.output}.")
    return 0


def cmd_pdf_closure(args: argparse.Namespace) -> int:
    """Write a case's closure summary."""
    from reports.closure import render_closure
    from stepdesk.services.documents import closure_document

    ws = _open_workspace(args.db)
    _write(Path(args.output), render_closure(closure_document(ws, _acting(ws), args.case)))
    print(f"Closure summary of case {args.case} written to {args.output}.")
    return 0


def cmd_pdf_escalation(args: argparse.Namespace) -> int:
    """Write an escalation summary."""
    from reports.escalation import render_escalation
    from stepdesk.services.documents import escalation_document

    ws = _open_workspace(args.db)
    _write(
        Path(args.output), render_escalation(escalation_document(ws, _acting(ws), args.escalation))
    )
    print(f"Escalation summary {args.escalation} written to {args.output}.")
    return 0
