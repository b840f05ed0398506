"""Errors a person can act on, kept apart from our own bugs.

Services raise these with a message that names the field and the fix; the GUI and the CLI
show the message as it is. Anything else that escapes is a defect.
"""


class StepDeskError(Exception):
    """Base class of every error whose message is meant for the user."""


class NotFoundError(StepDeskError):
    """A record named by id does not exist."""


class ValidationError(StepDeskError):
    """Input that cannot be accepted; ``field`` names what to correct."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class PermissionDeniedError(StepDeskError):
    """The acting user's role does not allow the operation."""


class BlockedByRuleError(StepDeskError):
    """A protocol rule blocks the save and no authorised override was given."""

    def __init__(self, rule_ids: list[str]) -> None:
        joined = ", ".join(rule_ids)
        super().__init__(f"Blocked by {joined}: give an override reason, or change the decision.")
        self.rule_ids = rule_ids


class ProfileError(StepDeskError):
    """A protocol profile file is malformed; the message names file, key and reason."""


class DatabaseError(StepDeskError):
    """The database cannot be opened or written (locked, corrupt, disk full, wrong file)."""


class StaleRecordError(StepDeskError):
    """Someone else changed the record since it was read: nothing was saved."""

    def __init__(self, record: str, changed_by: str | None, changed_at: object = None) -> None:
        import datetime as dt

        what = record.replace("_", " ").replace("case record", "case")
        if changed_by and isinstance(changed_at, dt.datetime):
            who = f"changed by {changed_by} at {changed_at:%H:%M} on {changed_at:%d/%m/%Y}"
        elif changed_by:
            who = f"changed by {changed_by}"
        else:
            who = "changed by someone else"
        super().__init__(
            f"This {what} was {who} since you opened it, so nothing was saved. "
            "What you typed is kept: reload to see theirs before saving again."
        )
        self.record = record
        self.changed_by = changed_by
        self.changed_at = changed_at


class CancelledError(StepDeskError):
    """Long work stopped because the person asked it to (e.g. a monitoring report)."""
