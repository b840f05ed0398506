"""The equalities fields a worker records on a case's subject (issue 18, measure 6).

Sex, ethnicity and disability in the Children in Need census's codes
(:mod:`stepdesk.services.monitoring.categories`); the age band comes from the date of birth.
"""

from __future__ import annotations

from dataclasses import dataclass

from stepdesk.errors import NotFoundError, ValidationError
from stepdesk.persistence.models import Case
from stepdesk.services import audit
from stepdesk.services.monitoring.categories import DISABILITY, ETHNICITY, SEX
from stepdesk.services.permissions import require
from stepdesk.services.workspace import Actor, Workspace


@dataclass(frozen=True)
class Equalities:
    """A subject's recorded codes; ``None`` where not recorded."""

    case_id: int
    sex: str | None
    ethnicity: str | None
    disability: str | None


def equalities_of(ws: Workspace, actor: Actor, case_id: int) -> Equalities:
    """What is recorded for the case's subject."""
    require(actor, "case.view")
    with ws.db.session() as s:
        case = s.get(Case, case_id)
        if case is None:
            raise NotFoundError(f"There is no case {case_id}.")
        subject = case.subject
        return Equalities(case_id, subject.sex, subject.ethnicity, subject.disability)


def record_equalities(
    ws: Workspace,
    actor: Actor,
    case_id: int,
    sex: str | None,
    ethnicity: str | None,
    disability: str | None,
) -> Equalities:
    """Record the codes (``None`` clears one); audited with before and after."""
    require(actor, "request.edit")
    for field, value, codes in (
        ("Sex", sex, SEX),
        ("Ethnicity", ethnicity, ETHNICITY),
        ("Disability", disability, DISABILITY),
    ):
        if value is not None and value not in codes:
            raise ValidationError(field, f"'{value}' is not a census code; choose one listed")
    with ws.db.session() as s:
        case = s.get(Case, case_id)
        if case is None:
            raise NotFoundError(f"There is no case {case_id}.")
        subject = case.subject
        before = {
            "sex": subject.sex,
            "ethnicity": subject.ethnicity,
            "disability": subject.disability,
        }
        subject.sex, subject.ethnicity, subject.disability = sex, ethnicity, disability
        after = {"sex": sex, "ethnicity": ethnicity, "disability": disability}
        audit.record(
            s,
            ws,
            actor,
            "record_equalities",
            "subject",
            subject.id,
            case=case.reference,
            before=before,
            after=after,
        )
        return Equalities(case_id, sex, ethnicity, disability)
