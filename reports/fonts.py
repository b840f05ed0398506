"""The shipped DejaVu Sans family, registered with ReportLab once per process.

The standard PDF fonts (Helvetica and friends) only cover Latin-1: names such as ``Łukasz``
or ``Nguyễn`` would print as black boxes. DejaVu Sans covers them and ships in
``resources/fonts`` under its own free licence.
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics, ttfonts
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

_ORIGINAL_TO_UNICODE = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16.

    Works around ReportLab 4/5 writing ``<1F600>`` (odd-length hex) for an emoji: PDF
    readers then cannot map that glyph, or its neighbours, back to text for copying, search
    or screen readers. The PDF reference wants the UTF-16BE surrogate pair, ``<D83DDE00>``.
    """
    cmap: str = _ORIGINAL_TO_UNICODE(fontname, subset)
    for index, code in enumerate(subset):
        if code > 0xFFFF:
            utf16 = chr(code).encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"<{index:02X}> <{code:04X}>", f"<{index:02X}> <{utf16}>", 1)
    return cmap


ttfonts.makeToUnicodeCMap = _to_unicode_cmap

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
