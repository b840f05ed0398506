"""The shipped DejaVu Sans family, registered with ReportLab once per process.

The standard PDF fonts (Helvetica and friends) only cover Latin-1: names such as ``Łukasz``
or ``Nguyễn`` would print as black boxes. DejaVu Sans covers them and ships in
``resources/fonts`` under its own free licence.
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from resources import FONTS_DIR

FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register the family (idempotent, thread-safe) and return its name for styles."""
    global _registered
    with _lock:
        if not _registered:
            known = set(pdfmetrics.getRegisteredFontNames())
            for name, filename in _FILES.items():
                if name not in known:
                    pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / filename)))
            # So that <b> and <i> inside a Paragraph pick the right face.
            pdfmetrics.registerFontFamily(
                FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
            )
            _registered = True
    return FAMILY
