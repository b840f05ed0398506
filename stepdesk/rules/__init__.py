"""The rules engine: pure functions from case facts and a proposal to findings.

``evaluate(case, proposal, profile, today)`` runs every rule the profile configures and
returns :class:`Finding` objects (block / warn / info, rule id, message, citation). Nothing
here touches the database, so the GUI can run it on every keystroke and councils can test a
profile on a scenario file.
"""

from stepdesk.rules.engine import RULES, Finding, evaluate, has_block
from stepdesk.rules.facts import CaseFacts, ConsentFact, PlanSpell, Proposal

__all__ = [
    "RULES",
    "CaseFacts",
    "ConsentFact",
    "Finding",
    "PlanSpell",
    "Proposal",
    "evaluate",
    "has_block",
]
