"""The letter to the family about a panel's decision (C-FAMILY-INFORMED).

Plain English in short sentences: what was decided, why, what happens next and when, who
their contact is, for how long, and how to raise a concern or disagree. Any short form that
appears is explained at the end. The family's copy carries no protective marking; the office
copy (:class:`OfficeLetterPdf`) does.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from reports import fonts
from reports.base import PROTECTIVE_MARKING, PdfRenderer, base_stylesheet
from reports.text import clean, fmt_date, para
from stepdesk.services.document_views import LetterDocument

# Short forms a letter may contain, in the words a family would use.
ACRONYMS = {
    "CAF": "Common Assessment Framework, the older name for an Early Help Assessment",
    "CIN": "Child in Need: a plan where a social worker works with your family",
    "CP": "Child Protection: a plan made when a child may be at risk of serious harm",
    "EHA": "Early Help Assessment: a conversation with you about what help your family needs",
    "GP": "your family doctor",
    "LD": "learning disability",
    "MASH": "Multi-Agency Safeguarding Hub: the team that first looks at worries about a child",
    "SEND": "special educational needs and disabilities",
    "TAC": "Team Around the Child: the people who help your child, meeting together with you",
    "TAF": "Team Around the Family: the people who help your family, meeting together with you",
}
_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")

# What each kind of plan means, for a family.
_PLAIN_PLANS = {
    "universal": "everyday services, such as school, your GP and the health visitor",
    "early_help": "Early Help, where a family worker helps you with a plan you agree together",
    "cin": "a Child in Need plan, where a social worker works with your family",
    "cp": "a Child Protection plan",
    "looked_after": "care away from home",
}

# Next steps by the rule of the action, in plain words.
_PLAIN_STEPS = {
    "T-EFFECT-24H": "We will make the change to {name}'s support",
    "T-HANDOVER": "We will arrange a visit to introduce you to your new worker",
    "T-HANDOVER-DONE": "The introduction visit will happen",
    "T-ESCALATE-24H": "A senior manager will look at the decision",
}


def acronyms_in(text: str) -> list[str]:
    """The known short forms used in ``text``, in alphabetical order."""
    return sorted({m for m in _ACRONYM.findall(text) if m in ACRONYMS})


class FamilyLetterPdf(PdfRenderer):
    """The family's copy: no protective marking, larger type, plain words."""

    protective_marking: ClassVar[str | None] = None

    def __init__(self, doc: LetterDocument) -> None:
        self.doc = doc
        self._used_text: list[str] = []

    def title(self) -> str:
        """``Letter about Siân's support``."""
        return f"Letter about {clean(self.doc.subject_given_name)}'s support"

    def subject(self) -> str:
        """The decision the letter tells the family about."""
        d = self.doc
        return (
            f"The {clean(d.meeting_name)} decision of {fmt_date(d.meeting_date)} about "
            f"{clean(d.subject_name)} ({clean(d.case_reference)}), decision {d.decision.id}"
        )

    def generated_at(self) -> dt.datetime:
        """When the letter was made."""
        return self.doc.generated_at

    def footer_note(self) -> str:
        """Our reference, to quote when the family gets in touch."""
        d = self.doc
        return f"Our reference: {clean(d.case_reference)}/{d.decision.id}. {super().footer_note()}"

    def stylesheet(self) -> StyleSheet1:
        """Larger, looser type: a letter is read at home, often more than once."""
        sheet = base_stylesheet(fonts.register_fonts(), body_size=11.5, body_leading=16.5)
        body = sheet["Body"]
        sheet.add(ParagraphStyle("Letter", parent=body, spaceAfter=7))
        sheet.add(ParagraphStyle("Address", parent=body, spaceAfter=0))
        sheet.add(ParagraphStyle("Bullet", parent=body, leftIndent=6 * mm, bulletIndent=1 * mm))
        return sheet

    # -- the words --------------------------------------------------------------------------

    def _name(self) -> str:
        return clean(self.doc.subject_given_name)

    def _plan(self, code: str, name: str) -> str:
        return _PLAIN_PLANS.get(code, name)

    def decided(self) -> list[str]:
        """What was decided, in two or three short sentences (plain text)."""
        d, n = self.doc, self._name()
        to_plan = self._plan(d.to_plan, d.to_plan_name)
        from_plan = self._plan(d.from_plan, d.from_plan_name)
        outcome = d.decision.outcome
        if outcome == "agreed":
            if d.movement == "step_up":
                return [
                    f"The panel agreed that {n} needs more support.",
                    f"{n} will move to {to_plan}.",
                ]
            if d.movement == "step_down":
                return [
                    "The panel agreed that things are better.",
                    f"{n}'s support will move from {from_plan} to {to_plan}.",
                ]
            return [
                "The panel agreed to the change that was asked for.",
                f"{n} will have {to_plan}.",
            ]
        if outcome == "not_agreed":
            return [
                "The panel did not agree to the change that was asked for.",
                f"{n}'s support stays as it is: {from_plan}.",
            ]
        if outcome == "no_change":
            return [
                "The panel decided not to change anything for now.",
                f"{n} stays with {from_plan}.",
            ]
        if outcome == "defer":
            return [
                "The panel needs more information before it can decide.",
                "It will look at this again at a later meeting.",
                f"Nothing changes for {n} until then.",
            ]
        if outcome == "escalate":
            return [
                "The people at the panel did not all agree.",
                "A senior manager will now make the decision.",
                "We will write to you again when they have.",
            ]
        if outcome == "refer_immediately":
            return [
                f"The panel asked the children's social care team to look at {n}'s situation "
                "straight away.",
                "A social worker will contact you.",
            ]
        if outcome == "close":
            return [
                f"The panel agreed that {n} no longer needs support from our service.",
                "We will close the case.",
            ]
        return [f"The panel made a decision: {clean(d.decision.outcome_label)}."]

    def next_steps(self) -> list[str]:
        """What happens next and when (plain text)."""
        d, n = self.doc, self._name()
        steps: list[str] = []
        if d.decision.effective_on and d.decision.outcome == "agreed":
            steps.append(f"The change starts on {fmt_date(d.decision.effective_on)}.")
        for action in d.next_steps:
            template = _PLAIN_STEPS.get(action.rule_id or "")
            what = template.format(name=n) if template else clean(action.description)
            steps.append(f"{what} by {fmt_date(action.due_on)}.")
        if d.decision.receiving_team and d.decision.outcome == "agreed":
            steps.append(f"Your new team is {clean(d.decision.receiving_team)}.")
        if not steps:
            steps.append("Your contact will talk to you about what happens next.")
        return steps

    def how_long(self) -> list[str]:
        """For how long, and when it is looked at again (plain text)."""
        d = self.doc.decision
        out: list[str] = []
        if d.review_on:
            out.append(f"We will look at how things are going by {fmt_date(d.review_on)}.")
        if clean(d.exit_strategy):
            out.append(f"What we are working towards: {clean(d.exit_strategy)}")
        if not out:
            out.append(
                "This lasts for as long as it helps. Your contact will check with you "
                "regularly, and you can ask for a review at any time."
            )
        return out

    # -- layout -----------------------------------------------------------------------------

    def _p(self, text: str, styles: StyleSheet1, style: str = "Letter") -> Paragraph:
        """Plain text (escaped here) as a paragraph; remembered for the short-forms list."""
        self._used_text.append(text)
        return Paragraph(para(text), styles[style])

    def _section(self, heading: str, lines: list[str], styles: StyleSheet1) -> list[Flowable]:
        return [Paragraph(heading, styles["Heading2"]), *(self._p(t, styles) for t in lines)]

    def story(self, styles: StyleSheet1) -> list[Flowable]:
        """Address, greeting, the five questions a family asks, short forms explained."""
        d = self.doc
        self._used_text = []
        out: list[Flowable] = []
        recipient = (
            clean(d.subject_name)
            if d.subject_kind == "adult"
            else f"The {clean(d.family_name)} family"
        )
        for line in [recipient, *clean(d.family_address).split("\n")]:
            if line.strip():
                out.append(Paragraph(para(line), styles["Address"]))
        out.append(Spacer(0, 6 * mm))
        out.append(Paragraph(fmt_date(d.generated_at.date()), styles["Letter"]))
        out.append(Paragraph(f"Our reference: {para(d.case_reference)}", styles["Letter"]))
        out.append(Spacer(0, 3 * mm))
        greeting = (
            f"Dear {clean(d.subject_name)},"
            if d.subject_kind == "adult"
            else f"Dear {clean(d.family_name)} family,"
        )
        out.append(self._p(greeting, styles))
        out.append(Paragraph(f"About {para(d.subject_name)}'s support", styles["Title"]))
        out.append(
            self._p(
                f"A group of professionals met on {fmt_date(d.meeting_date)} to talk about "
                f"{self._name()}'s support. We call this meeting a panel. This letter tells you "
                "what the panel decided.",
                styles,
            )
        )
        out += self._section("What the panel decided", self.decided(), styles)
        why = clean(d.decision.rationale)
        out += self._section(
            "Why",
            [why] if why else ["Your contact can explain the reasons to you."],
            styles,
        )
        out += self._section("What happens next", self.next_steps(), styles)
        out += self._section("For how long", self.how_long(), styles)
        lead = clean(d.lead_professional)
        worker = clean(d.allocated_worker)
        if lead:
            contact_lines = [
                f"Your lead professional is: {lead}.",
                "This is the person who keeps the plan together. They are the first person "
                "to talk to.",
            ]
        elif worker:
            contact_lines = [f"Your contact is {worker}, your worker in the {clean(d.team)}."]
        else:
            contact_lines = [f"Your contact is the {clean(d.team)}."]
        if lead and worker:
            email = (
                f" ({clean(d.allocated_worker_email)})" if clean(d.allocated_worker_email) else ""
            )
            contact_lines.append(f"Your worker in the {clean(d.team)} is {worker}{email}.")
        first_contact = "your lead professional" if lead else (worker or "your contact")
        out += self._section("Who to contact", contact_lines, styles)
        out += self._section(
            "If you are worried or you disagree",
            [
                "You can tell us if you are unhappy with the decision or how it was made.",
                f"Please talk to {first_contact} first. They will listen and explain.",
                "If that does not help, you can ask the chair of the panel, "
                f"{clean(d.chair_name)}, to look at the decision again. "
                "Write to us and quote our reference.",
                "You can also use the council's complaints procedure. You can ask someone you "
                "trust to help you, or to speak for you.",
                "If you are ever worried that a child is not safe, call the police on 999.",
            ],
            styles,
        )
        out.append(Spacer(0, 4 * mm))
        out.append(self._p("Yours sincerely,", styles))
        out.append(Spacer(0, 8 * mm))
        out.append(self._p(clean(d.chair_name), styles, "Address"))
        out.append(self._p(f"Chair of the {clean(d.meeting_name)}", styles))
        used = acronyms_in(" ".join(self._used_text))
        if used:
            out.append(Paragraph("Words we use", styles["Heading2"]))
            for short in used:
                out.append(
                    Paragraph(
                        f"<b>{short}</b>: {para(ACRONYMS[short])}.",
                        styles["Bullet"],
                        bulletText="•",
                    )
                )
        return out


class OfficeLetterPdf(FamilyLetterPdf):
    """The office copy of the family letter: the same words, with the protective marking."""

    protective_marking: ClassVar[str | None] = PROTECTIVE_MARKING

    def title(self) -> str:
        """Marked as the office copy."""
        return f"{super().title()} (office copy)"


def render_letter(doc: LetterDocument, *, office_copy: bool = False) -> bytes:
    """The family letter (or its marked office copy) as PDF bytes."""
    return (OfficeLetterPdf(doc) if office_copy else FamilyLetterPdf(doc)).render()
