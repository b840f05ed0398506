"""Helpers shared by the report tests: read a PDF back, and build minutes without a database."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from pypdf import PdfReader
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports import fonts
from stepdesk.rules import Finding
from stepdesk.services.document_views import MinutesDocument, MinutesItem
from stepdesk.services.views import ActionRow, AgendaRow, AttendanceRow, DecisionView, PanelRow

SHRINK = rl_config.spaceShrinkage


@dataclass
class ReadBack:
    """A rendered PDF, read back with pypdf."""

    reader: PdfReader
    pages: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def flat(self) -> str:
        """All text with line breaks as spaces: wrapped values read as one string."""
        return " ".join(self.text.split())


def read_pdf(data: bytes) -> ReadBack:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return ReadBack(reader, [page.extract_text() for page in reader.pages])


def text_right_edges(data: bytes) -> list[tuple[int, float, str]]:
    """(page, right edge in points, text) of every line of text drawn on every page.

    The width is measured with the same DejaVu metrics the PDF was set with, so a line
    that runs past the right margin shows up here even though pypdf cannot see widths.
    """
    fonts.register_fonts()
    reader = PdfReader(io.BytesIO(data))
    edges: list[tuple[int, float, str]] = []
    for number, page in enumerate(reader.pages, start=1):

        def visit(text, cm, tm, font_dict, font_size, number=number):
            if not text.strip() or font_dict is None:
                return
            base = str(font_dict.get("/BaseFont", "")).split("+")[-1]
            name = base if base in fonts._FILES else fonts.REGULAR
            x = cm[4] + tm[4] * cm[0]
            scale = tm[0] * cm[0]
            for line in text.split("\n"):
                if line.strip():
                    line = line.rstrip()
                    # ReportLab may shrink spaces by up to spaceShrinkage (5%) with a
                    # negative Tw that pypdf does not report: allow for the most it can.
                    shrink = line.count(" ") * stringWidth(" ", name, font_size) * SHRINK
                    width = (stringWidth(line, name, font_size) - shrink) * scale
                    edges.append((number, x + width, line))

        page.extract_text(visitor_text=visit)
    return edges


def assert_within_margins(data: bytes, right_margin: float) -> None:
    """No line of text crosses into the right margin (half a point of slack)."""
    limit = A4[0] - right_margin + 0.5
    over = [
        (p, round(edge, 1), line[:40]) for p, edge, line in text_right_edges(data) if edge > limit
    ]
    assert not over, f"text past the right margin ({limit:.1f} pt): {over[:5]}"


# -- building minutes without a database ------------------------------------------------------

WHEN = dt.datetime(2026, 11, 9, 10, 0)


def attendee(
    i: int, name: str, role: str = "member", status: str = "present", job: str = "Social Worker"
) -> AttendanceRow:
    return AttendanceRow(id=i, user_id=i, name=name, job_title=job, panel_role=role, status=status)


def decision(i: int, **changes: object) -> DecisionView:
    values: dict[str, object] = dict(
        id=i,
        agenda_item_id=i,
        outcome="agreed",
        outcome_label="Agreed as requested",
        rationale="Panel agreed the request.",
        effective_on=dt.date(2026, 11, 9),
        review_on=dt.date(2027, 2, 1),
        lead_professional="School nurse",
        receiving_team="Early Help Team North",
        exit_strategy="Step down when the plan outcomes are met.",
        dissent=None,
        findings=[
            Finding("C-CONSENT-DOWN", "block", "No family consent is recorded.", "004 4.1; 001 §4")
        ],
        override_reason=None,
        override_by=None,
        override_at=None,
        decided_by="Philip Smith",
        decided_at=WHEN,
        actions=[
            ActionRow(
                id=i,
                description="Arrange the handover visit",
                owner_name="Mary Wood",
                owner_id=None,
                due_on=dt.date(2026, 11, 11),
                rule_id="T-HANDOVER",
            )
        ],
        version=1,
    )
    values.update(changes)
    return DecisionView(**values)  # type: ignore[arg-type]


def item(
    position: int,
    subject: str = "Alex Example",
    *,
    reasons: str = "Needs escalated.",
    notes: str = "Discussed.",
    presenter: str = "Mary Wood",
    decided: bool = True,
    **decision_changes: object,
) -> MinutesItem:
    row = AgendaRow(
        id=position,
        position=position,
        slot_start=WHEN + dt.timedelta(minutes=15 * (position - 1)),
        slot_minutes=15,
        case_id=position,
        case_reference=f"C-{100000 + position}",
        subject_name=subject,
        movement="step_up",
        movement_label="Step up",
        from_plan_name="Early Help (EHA/CAF with TAC)",
        to_plan_name="Child in Need plan",
        presenter_name=presenter,
        status="decided" if decided else "pending",
        outcome_label="Agreed as requested" if decided else None,
    )
    return MinutesItem(
        row=row,
        reasons=reasons,
        notes=notes,
        decision=decision(position, **decision_changes) if decided else None,
    )


def minutes(
    items: list[MinutesItem],
    *,
    meeting_name: str = "CIN panel",
    venue: str = "Room 2, Town Hall",
    chair: str = "Philip Smith",
    present: list[AttendanceRow] | None = None,
    apologies: list[AttendanceRow] | None = None,
    absent: list[AttendanceRow] | None = None,
) -> MinutesDocument:
    panel = PanelRow(
        id=1,
        meeting_type="cin_panel",
        meeting_name=meeting_name,
        starts_at=WHEN,
        venue=venue,
        chair_name=chair,
        status="finished",
        item_count=len(items),
        decided_count=sum(i.decision is not None for i in items),
        finished_at=WHEN + dt.timedelta(hours=2),
    )
    return MinutesDocument(
        panel=panel,
        profile_name="Children's services (default)",
        present=present if present is not None else [attendee(1, chair, "chair")],
        apologies=apologies or [],
        absent=absent or [],
        items=items,
        generated_at=dt.datetime(2026, 11, 23, 9, 0),
        generated_by="Olivia Carter",
    )
