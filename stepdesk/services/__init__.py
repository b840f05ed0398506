"""Services: the only way the GUI, the CLI and the reports read or change data.

Each public function is one unit of work (one transaction), checks the acting user's role,
writes an audit event for what it changes, and returns plain data from
:mod:`stepdesk.services.views`.
"""

from stepdesk.services.workspace import Actor, Workspace

__all__ = ["Actor", "Workspace"]
