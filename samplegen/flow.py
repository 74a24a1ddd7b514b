"""Flowing text onto A4 pages: paragraphs, headings, simple tables, page breaks."""

from __future__ import annotations

from dataclasses import dataclass, field

from samplegen.sheet import BLACK, PT_MM, RGB, Sheet, Text, wrap


@dataclass
class Flow:
    script: str
    size: float = 12.0  # body size in points
    leading: float = 1.6
    margin_x: float = 28.0
    margin_top: float = 27.0
    margin_bottom: float = 25.0
    font: str = "song"
    color: RGB = BLACK
    pages: list[Sheet] = field(default_factory=list)
    y: float = 0.0

    def __post_init__(self) -> None:
        self.new_page()

    @property
    def page(self) -> Sheet:
        return self.pages[-1]

    @property
    def width(self) -> float:
        return 210.0 - 2 * self.margin_x

    @property
    def line_h(self) -> float:
        return self.size * PT_MM * self.leading

    def new_page(self) -> None:
        self.pages.append(Sheet(210.0, 297.0, script=self.script))
        self.y = self.margin_top + self.size * PT_MM

    def ensure(self, height: float) -> None:
        if self.y + height > 297.0 - self.margin_bottom:
            self.new_page()

    def space(self, mm: float) -> None:
        self.y += mm

    def para(self, text: str, *, indent: bool = True, size: float | None = None,
             font: str | None = None, align: str = "left") -> None:
        size = size or self.size
        font = font or self.font
        step = size * PT_MM * self.leading
        first = 2 * size * PT_MM if indent else 0.0
        lines = wrap(self.page.conv(text), self.width, font, size, first_indent=first,
                     script=self.script)
        for i, ln in enumerate(lines):
            self.ensure(step)
            x = self.margin_x + (first if i == 0 else 0.0)
            if align == "center":
                self.page.ops.append(_text(105.0, self.y, ln, font, size, self.color, "center"))
            elif align == "right":
                self.page.ops.append(_text(210 - self.margin_x, self.y, ln, font, size,
                                           self.color, "right"))
            else:
                self.page.ops.append(_text(x, self.y, ln, font, size, self.color, "left"))
            self.y += step

    def heading(self, text: str, *, size: float | None = None) -> None:
        size = size or self.size
        self.ensure(self.line_h * 2.5)
        self.space(self.line_h * 0.25)
        self.para(text, indent=False, size=size, font="hei_bold")

    def table(self, header: list[str], rows: list[list[str]], widths: list[float], *,
              size: float | None = None) -> None:
        size = size or self.size - 1.5
        pad = 1.6
        x0 = self.margin_x
        scale = self.width / sum(widths)
        widths = [w * scale for w in widths]
        for r, row in enumerate([header] + rows):
            cells = [wrap(self.page.conv(c), w - 2 * pad, "song", size, script=self.script)
                     or [""] for c, w in zip(row, widths)]
            h = max(len(c) for c in cells) * size * PT_MM * 1.35 + 2 * pad
            self.ensure(h + 1)
            top = self.y - size * PT_MM
            x = x0
            for lines, w in zip(cells, widths):
                self.page.rect(x, top, w, h, width=0.25)
                for i, ln in enumerate(lines):
                    yy = top + pad + size * PT_MM * (0.85 + 1.35 * i)
                    font = "hei" if r == 0 else "song"
                    self.page.ops.append(_text(x + w / 2 if r == 0 else x + pad, yy, ln, font,
                                               size, self.color, "center" if r == 0 else "left"))
                x += w
            self.y = top + h + size * PT_MM
        self.space(self.line_h * 0.3)


def _text(x: float, y: float, s: str, font: str, size: float, color: RGB, align) -> Text:
    return Text(x, y, s, font, size, color, align, None, 1.0, "form")
