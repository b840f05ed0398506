"""``python -m stepdesk`` runs the same entry point as the ``stepdesk`` command."""

from stepdesk.cli import main

raise SystemExit(main())
