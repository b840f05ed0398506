"""ReportLab documents: the minutes now; agenda pack, closure summary and letters later.

Every document is a small subclass of :class:`reports.base.PdfRenderer` and renders from the
detached view dataclasses in :mod:`stepdesk.services.views`, never from ORM objects, so a PDF
can be made without a database session. User text reaches ReportLab only through
:func:`reports.text.para`, which escapes markup.

This package must not import PySide6 or ``ui``: the GUI and the command line both call the
module functions here (for example :func:`reports.minutes.render_minutes`) and get ``bytes``.
"""
