"""Text for the PDF report in any of our languages: a font that has the glyphs, and right-to-left lines.

reportlab draws glyphs in the order it is given: it neither joins Arabic letters nor reorders a
right-to-left run. So for a right-to-left reader each paragraph is broken into lines here, in
logical order (the bidi algorithm reorders each line after line breaking, UAX #9 rules L1-L2);
then each line's letters take their joined forms (arabic-reshaper) and the line is put in visual
order (python-bidi) before reportlab sees it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi.algorithm import get_display  # the reference implementation: it mirrors brackets (rule L4)
from django.conf import settings
from django.utils import translation
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

logger = logging.getLogger(__name__)

REGULAR, BOLD = "ReportSans", "ReportSans-Bold"
# DejaVu Sans: Latin, Greek, Cyrillic and Arabic (with its joined presentation forms) in one face.
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


@functools.cache
def fonts() -> tuple[str, str] | None:
    """(regular, bold) names of the report's Unicode font, registered once; None when none is installed."""
    for folder in settings.REPORT_FONT_DIRS:
        regular, bold = (Path(folder) / name for name in FONT_FILES)
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
            pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
            pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
            return REGULAR, BOLD
    logger.warning("No report font (%s) in REPORT_FONT_DIRS: PDF reports fall back to Helvetica", FONT_FILES[0])
    return None


def can_write(language: str) -> bool:
    """Whether a report can be written in `language`: a right-to-left script needs the Unicode font."""
    return not translation.get_language_info(language)["bidi"] or fonts() is not None


class ReportText:
    """Fonts, styles and line layout for one report, in the active language's direction."""

    def __init__(self) -> None:
        self.rtl = translation.get_language_bidi()
        self.regular, self.bold = fonts() or ("Helvetica", "Helvetica-Bold")
        self.styles = self._styles()

    def _styles(self) -> StyleSheet1:
        styles = getSampleStyleSheet()
        for style in styles.byName.values():
            if isinstance(style, ParagraphStyle):
                style.fontName = self.bold if "Bold" in style.fontName else self.regular
                style.alignment = TA_RIGHT if self.rtl else TA_LEFT
        return styles

    def visual(self, text: str, *, base: str | None = "R") -> str:
        """One line as reportlab must draw it: joined letters, left-to-right visual order."""
        text = str(text)
        if not self.rtl:
            return text
        return get_display(arabic_reshaper.reshape(text), base_dir=base if base else None)

    def lines(self, text: str, *, font: str, size: float, width: float) -> list[str]:
        """Greedy line breaking in logical order, measuring each line as it will be drawn."""
        result: list[str] = []
        for source_line in str(text).splitlines() or [""]:
            line = ""
            for word in source_line.split():
                candidate = f"{line} {word}" if line else word
                if line and pdfmetrics.stringWidth(arabic_reshaper.reshape(candidate), font, size) > width:
                    result.append(line)
                    line = word
                else:
                    line = candidate
            result.append(line)
        return result

    def paragraph(
        self, text: str, style: ParagraphStyle, *, width: float, bold_first: str | None = None, auto: bool = False
    ) -> Paragraph:
        """A paragraph of plain text (never markup); `bold_first` is a bold first line (a post's title).

        `auto` takes the direction from the text itself (user content: an English post in an Arabic
        report stays left-to-right inside its right-aligned block).
        """
        if not self.rtl:
            head = f"<b>{escape(bold_first)}</b><br/>" if bold_first is not None else ""
            return Paragraph(head + escape(str(text)).replace("\n", "<br/>"), style)
        base = None if auto else "R"
        parts = []
        if bold_first is not None:
            parts += [
                f"<b>{escape(self.visual(line, base=base))}</b>"
                for line in self.lines(bold_first, font=self.bold, size=style.fontSize, width=width)
            ]
        parts += [
            escape(self.visual(line, base=base))
            for line in self.lines(text, font=style.fontName, size=style.fontSize, width=width)
        ]
        return Paragraph("<br/>".join(parts), style)

    def row(self, cells: Sequence[Any]) -> list[Any]:
        """A table row in reading order: the first column sits on the right for a right-to-left reader.

        A cell takes its direction from its own text: "+63.2 %" stays as written, an Arabic label reads
        right to left."""
        cells = [self.visual(cell, base=None) if isinstance(cell, str) else cell for cell in cells]
        return cells[::-1] if self.rtl else cells

    def columns(self, widths: Sequence[float]) -> list[float]:
        return list(widths)[::-1] if self.rtl else list(widths)
