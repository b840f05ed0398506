"""The Qt (PySide6) GUI: windows, dialogs and Qt models, kept thin.

Widgets hold no business logic: a slot calls one service from :mod:`stepdesk.services` and
shows what it returns. Start it with :func:`ui.app.run`.
"""
