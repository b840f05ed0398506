"""Agenda pack, family letter, closure and escalation summaries, read back with pypdf."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from reports.agenda import render_agenda
from reports.base import PdfRenderer
from reports.closure import render_closure
from reports.escalation import render_escalation
from reports.letter import ACRONYMS, render_letter
from stepdesk.cli import main
from stepdesk.services import Actor, Workspace
from stepdesk.services.document_views import QuestionAnswer
from stepdesk.services.documents import (
    agenda_document,
    closure_document,
    escalation_document,
    letter_document,
)
from stepdesk.services.views import SideView
from tests.reports.report_helpers import ReadBack, assert_within_margins, read_pdf

RIGHT_MARGIN = PdfRenderer.margins[1]
TRICKY = "Zoë <b>O'Brien & Sons"
ACCENTED = ["Siân", "Łukasz", "Nguyễn", "Ó Súilleabháin"]
# Decision 4 of the demo is a deferred step-down; decision 2 an agreed step-up.
DEFERRED, AGREED_UP = 4, 2


def furniture(pdf: ReadBack, title: str, *, marked: bool = True) -> None:
    """Marking top and bottom (or none), title and Page X of Y on every page."""
    count = len(pdf.pages)
    for number, text in enumerate(pdf.pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") == (2 if marked else 0), number
        assert f"Page {number} of {count}" in text
        assert title in text
        assert "Generated 23/11/2026 09:00" in text
    meta = pdf.reader.metadata
    assert meta is not None and meta.title == title
    assert meta.author == "StepDesk" and meta.subject and meta.creation_date is not None


def test_agenda_pack_of_an_upcoming_panel(demo_ws: Workspace, chair: Actor) -> None:
    doc = agenda_document(demo_ws, chair, 2)
    data = render_agenda(doc)
    pdf = read_pdf(data)
    flat = pdf.flat
    furniture(
        pdf, f"Agenda pack: {doc.panel.meeting_name}, {doc.panel.starts_at:%d/%m/%Y} (panel 2)"
    )
    # A cover, then a page or two per case: sensible, not crammed.
    assert len(doc.items) + 1 <= len(pdf.pages) <= 3 * len(doc.items) + 2
    assert doc.panel.venue in flat and f"Chair {doc.panel.chair_name}" in flat
    assert "T-AGENDA-24H" in flat
    for member in doc.members:
        assert member.name in flat
    for item in doc.items:
        r, c = item.row, item.case
        assert f"{r.position}. {r.subject_name} ({r.case_reference})" in flat
        assert f"{r.slot_start:%H:%M}" in flat and r.presenter_name in flat
        assert c.request is not None
        assert " ".join(c.request.reasons.split()) in flat
        for trigger in c.request.triggers:
            assert trigger in flat
        for consent in c.consents:
            assert consent.given_by in flat
        for attachment in c.request.attachments:
            assert attachment.title in flat
        for finding in c.findings:
            assert finding.rule in flat
        for episode in c.history:
            assert episode.started_on.strftime("%d/%m/%Y") in flat
    assert_within_margins(data, RIGHT_MARGIN)


def test_family_letter_is_plain_unmarked_and_explains_short_forms(
    demo_ws: Workspace, chair: Actor
) -> None:
    doc = letter_document(demo_ws, chair, AGREED_UP)
    pdf = read_pdf(render_letter(doc))
    furniture(pdf, f"Letter about {doc.subject_given_name}'s support", marked=False)
    assert len(pdf.pages) <= 3
    flat = pdf.flat
    for heading in [
        "What the panel decided",
        "Why",
        "What happens next",
        "For how long",
        "Who to contact",
        "If you are worried or you disagree",
    ]:
        assert heading in flat
    assert f"The panel agreed that {doc.subject_given_name} needs more support." in flat
    if doc.lead_professional:
        assert f"Your lead professional is: {doc.lead_professional}." in flat
    else:
        assert f"Your contact is {doc.allocated_worker}, your worker in the {doc.team}." in flat
    assert doc.decision.review_on is not None
    assert f"by {doc.decision.review_on:%d/%m/%Y}" in flat
    for action in doc.next_steps:
        assert f"{action.due_on:%d/%m/%Y}" in flat
    # Every short form in the body is explained under "Words we use".
    body, _, glossary = flat.partition("Words we use")
    used = {w for w in re.findall(r"\b[A-Z]{2,5}\b", body)} - {"OK"}
    assert used, "the demo letter names a plan with a short form"
    for short in used:
        assert short in ACRONYMS, short
        assert f"{short}:" in glossary
    # Short sentences: no sentence in the letter's own words runs past 35 words.
    sentences = [s for s in re.split(r"[.!?]\s", body) if s.strip()]
    assert max(len(s.split()) for s in sentences) <= 35


def test_office_copy_of_the_letter_is_marked(demo_ws: Workspace, chair: Actor) -> None:
    doc = letter_document(demo_ws, chair, DEFERRED)
    family = read_pdf(render_letter(doc))
    office = read_pdf(render_letter(doc, office_copy=True))
    assert "The panel needs more information before it can decide." in family.flat
    furniture(office, f"Letter about {doc.subject_given_name}'s support (office copy)")
    assert "OFFICIAL-SENSITIVE" not in family.text


def test_closure_summary(demo_ws: Workspace, chair: Actor) -> None:
    doc = closure_document(demo_ws, chair, 1)
    pdf = read_pdf(render_closure(doc))
    furniture(pdf, f"Closure summary: {doc.subject_name} ({doc.case_reference})")
    flat = pdf.flat
    for heading in ["Needs at the start", "What was done", "Outcomes", "Exit questionnaire"]:
        assert heading in flat
    assert " ".join(doc.outcomes.split()) in flat
    for qa in doc.questionnaire:
        assert qa.question in flat and qa.answer in flat
    assert doc.authorised_by and doc.authorised_at
    assert f"Authorised by {doc.authorised_by}, {doc.authorised_at:%d/%m/%Y %H:%M}" in flat


def test_escalation_summary(demo_ws: Workspace, chair: Actor) -> None:
    doc = escalation_document(demo_ws, chair, 1)
    pdf = read_pdf(render_escalation(doc))
    furniture(pdf, f"Escalation 1: {doc.subject_name} ({doc.case_reference})")
    flat = pdf.flat
    assert len(doc.views) == 2
    for view in doc.views:
        assert f"{view.side} ({view.who})" in flat
        assert " ".join(view.view.split()) in flat
    assert f"by {doc.due_at:%d/%m/%Y %H:%M}" in flat
    assert "T-ESCALATE-24H" in flat and doc.escalated_to in flat
    assert " ".join(doc.disagreement.split()) in flat


def test_user_text_is_escaped_and_accents_print_in_every_document(
    demo_ws: Workspace, chair: Actor
) -> None:
    names = " / ".join(ACCENTED)
    expected = [TRICKY, *ACCENTED]

    agenda = agenda_document(demo_ws, chair, 2)
    first = agenda.items[0]
    assert first.case.request is not None
    agenda = dataclasses.replace(
        agenda,
        panel=dataclasses.replace(agenda.panel, venue=TRICKY, chair_name=names),
        items=[
            dataclasses.replace(
                first,
                row=dataclasses.replace(first.row, subject_name=TRICKY),
                case=dataclasses.replace(
                    first.case,
                    request=dataclasses.replace(first.case.request, reasons=f"{TRICKY}\n{names}"),
                ),
            )
        ],
    )
    letter = letter_document(demo_ws, chair, AGREED_UP)
    letter = dataclasses.replace(
        letter,
        subject_given_name=TRICKY,
        family_name=names,
        lead_professional=TRICKY,
        decision=dataclasses.replace(letter.decision, rationale=f"{TRICKY}. {names}."),
    )
    closure = closure_document(demo_ws, chair, 1)
    closure = dataclasses.replace(
        closure,
        subject_name=TRICKY,
        work_done=names,
        questionnaire=[QuestionAnswer(TRICKY, names)],
    )
    escalation = escalation_document(demo_ws, chair, 1)
    escalation = dataclasses.replace(
        escalation,
        subject_name=TRICKY,
        views=[SideView(TRICKY, names, f"{TRICKY} {names}")],
    )
    for data in [
        render_agenda(agenda),
        render_letter(letter),
        render_letter(letter, office_copy=True),
        render_closure(closure),
        render_escalation(escalation),
    ]:
        pdf = read_pdf(data)
        for typed in expected:
            assert typed in pdf.text
        assert "&amp;" not in pdf.text and "&lt;" not in pdf.text
        meta = pdf.reader.metadata
        assert meta is not None and meta.title and "&amp;" not in meta.title


@pytest.mark.parametrize(
    ("kind", "option", "message"),
    [
        ("agenda", "--panel", "No panel with id 9999"),
        ("letter", "--decision", "No decision with id 9999"),
        ("closure", "--case", "No case with id 9999"),
        ("escalation", "--escalation", "No escalation with id 9999"),
    ],
)
def test_cli_missing_id_is_one_line_and_exit_2(
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    option: str,
    message: str,
) -> None:
    out = tmp_path / "x.pdf"
    assert main(["pdf", kind, "--db", str(demo_path), option, "9999", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "marked"),
    [
        (["agenda", "--panel", "2"], True),
        (["letter", "--decision", "2"], False),
        (["letter", "--decision", "2", "--office-copy"], True),
        (["closure", "--case", "1"], True),
        (["escalation", "--escalation", "1"], True),
    ],
)
def test_cli_writes_each_document(
    demo_path: Path, tmp_path: Path, args: list[str], marked: bool
) -> None:
    out = tmp_path / "doc.pdf"
    assert main(["pdf", *args, "--db", str(demo_path), "-o", str(out)]) == 0
    pdf = read_pdf(out.read_bytes())
    assert ("OFFICIAL-SENSITIVE" in pdf.text) is marked


def test_closure_of_a_case_without_a_record_says_so(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["pdf", "closure", "--db", str(demo_path), "--case", "5", "-o", "x.pdf"]) == 2
    assert "has no closure record yet" in capsys.readouterr().err
