"""Finding a case by name, reference or date of birth."""

from __future__ import annotations

from stepdesk.services import Actor, Workspace
from stepdesk.services.cases import item_detail
from stepdesk.services.search import search_cases

ITEM = 19  # Jamie Higgins, on the CIN panel


def test_by_name_reference_and_date_of_birth(demo_ws: Workspace, chair: Actor) -> None:
    case = item_detail(demo_ws, chair, ITEM).case
    given, family = case.subject_name.split(" ", 1)
    by_name = search_cases(demo_ws, chair, f"{given[:3].lower()} {family.upper()}")
    assert case.reference in [h.reference for h in by_name]
    hit = next(h for h in by_name if h.reference == case.reference)
    assert (hit.agenda_item_id, hit.panel_id) == (ITEM, 3)
    assert [h.reference for h in search_cases(demo_ws, chair, case.reference.lower())] == [
        case.reference
    ]
    assert case.date_of_birth is not None
    by_born = search_cases(demo_ws, chair, f"{case.date_of_birth:%d/%m/%Y}")
    assert case.reference in [h.reference for h in by_born]
    assert all(h.date_of_birth == case.date_of_birth for h in by_born)


def test_nothing_and_odd_input(demo_ws: Workspace, chair: Actor) -> None:
    assert search_cases(demo_ws, chair, "   ") == []
    assert search_cases(demo_ws, chair, "zzzz-nobody") == []
    assert search_cases(demo_ws, chair, "31/02/2020") == []  # not a date: a name search
    assert search_cases(demo_ws, chair, "%") == []  # a wildcard is a character, not "all"
