"""Write maps/assets/label-widths.json: DejaVu Sans advance widths, in ems.

The HTML map places node names in Python, before any browser has measured
them, so it needs the width of each character of the page's label font
(DejaVu Sans, the first font the page asks for, and matplotlib's default, so
the PNG's names are the same shapes). Run it again only if the font changes:

    .venv/bin/python scripts/font-widths.py
"""
from __future__ import annotations

import json
from pathlib import Path

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font, LoadFlags

OUT = Path(__file__).resolve().parents[1] / "maps" / "assets" / "label-widths.json"
# Latin (with accents and Latin Extended-A/B), general punctuation and the ellipsis.
CHARS = [chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x2010, 0x2028))]


def main() -> None:
    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    font = FT2Font(path)
    font.set_size(1000, 72)  # 1,000 pixels to the em
    widths = {}
    for ch in CHARS:
        if font.get_char_index(ord(ch)):
            glyph = font.load_char(ord(ch), flags=LoadFlags.NO_HINTING)
            widths[ch] = round(glyph.linearHoriAdvance / 65536 / 1000, 4)
    # A character not listed (CJK, say) is taken as a full em: wider than most.
    data = {"font": Path(path).name, "default": 1.0, "widths": widths}
    OUT.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(widths)} characters")


if __name__ == "__main__":
    main()
