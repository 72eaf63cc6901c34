"""The fonts Tarian's PDFs are written in (the subject access export, a meeting's minutes):
DejaVu Sans, which has every Welsh letter (ŵ, ŷ, â), shipped with the package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FONT = "DejaVu"
FONT_DIR = Path(__file__).with_name("fonts")


def add_fonts(pdf: Any) -> None:
    """Register DejaVu Sans, regular and bold, on an ``fpdf.FPDF`` as ``FONT``."""
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
