"""The shipped DejaVu Sans family."""

from __future__ import annotations

from reportlab.lib.fonts import tt2ps
from reportlab.pdfbase import pdfmetrics

from reports import fonts
from tests.reports.report_helpers import read_pdf


def test_register_is_idempotent_and_maps_bold_italic() -> None:
    assert fonts.register_fonts() == fonts.register_fonts() == fonts.FAMILY
    names = pdfmetrics.getRegisteredFontNames()
    for face in (fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC):
        assert names.count(face) == 1
    assert tt2ps(fonts.FAMILY, 0, 0) == fonts.REGULAR
    assert tt2ps(fonts.FAMILY, 1, 0) == fonts.BOLD
    assert tt2ps(fonts.FAMILY, 0, 1) == fonts.ITALIC
    assert tt2ps(fonts.FAMILY, 1, 1) == fonts.BOLD_ITALIC


def test_font_covers_the_names_we_print() -> None:
    fonts.register_fonts()
    face = pdfmetrics.getFont(fonts.REGULAR).face
    for char in "ëâłŁễịÓúáŷŵ—→…":
        assert ord(char) in face.charToGlyph, char


def test_characters_beyond_the_bmp_read_back() -> None:
    # ReportLab alone writes <1F600> in the ToUnicode map; reports.fonts writes UTF-16.
    from reports.closure import render_closure
    from tests.reports.test_pdf_fuzz import document

    texts = [f"Smile 😀 and ✓ {n}" for n in range(100)]
    text = read_pdf(render_closure(document(texts))).text
    assert "Smile 😀 and ✓ 1" in text
