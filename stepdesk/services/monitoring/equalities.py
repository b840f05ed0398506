"""Measure 6, equalities: who the requests were about, by age band, sex, ethnicity, disability.

Each distinct case with a request in the period is counted once per characteristic, at its
age on its first request of the period. Counts from 1 to 4 are suppressed in every output.
"""

from __future__ import annotations

import functools

import stepdesk.services.monitoring.categories as cat
from stepdesk.services.monitoring.common import Ctx, Item, count, matching
from stepdesk.services.monitoring.model import Indicator, Period


def indicators(ctx: Ctx) -> list[Indicator]:
    """One count per category of each characteristic (categories seen in either period)."""
    facts = ctx.facts

    def people(period: Period) -> list[Item]:
        first: dict[int, Item] = {}
        for r in sorted(facts.requests, key=lambda r: r.created_at):
            day = r.created_at.date()
            if period.contains(day) and r.case_id not in first:
                first[r.case_id] = Item(r.case_id, day, "")
        return list(first.values())

    def characteristic(item: Item, which: str) -> str:
        case = facts.cases[item.case_id]
        if which == "age":
            return cat.age_band(case.date_of_birth, item.day)
        if which == "sex":
            return cat.name_of(cat.SEX, case.sex)
        if which == "ethnicity":
            return cat.name_of(cat.ETHNICITY, case.ethnicity)
        return cat.name_of(cat.DISABILITY, case.disability)

    out = [count(ctx, "equalities.people", "People with a request", people)]
    orders = {
        "age": [name for name, _low, _high in cat.AGE_BANDS],
        "sex": list(cat.SEX.values()),
        "ethnicity": list(cat.ETHNICITY.values()),
        "disability": list(cat.DISABILITY.values()),
    }
    titles = {"age": "Age band", "sex": "Sex", "ethnicity": "Ethnicity", "disability": "Disability"}
    both = people(ctx.period) + people(ctx.previous)
    for which, order in orders.items():
        seen = {characteristic(i, which) for i in both}
        for value in [*order, cat.NOT_RECORDED]:
            if value not in seen:
                continue
            out.append(
                count(
                    ctx,
                    f"equalities.{which}.{value}",
                    f"{titles[which]}: {value}",
                    matching(people, functools.partial(characteristic, which=which), value),
                )
            )
    return out
