"""QR codes of verify links: inline SVG paths, black on white, loading nothing."""

from functools import lru_cache

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["qr_svg"]


# Drawing a QR code takes about 20 ms; the learner's dashboard shows one for
# each certificate on every visit. The same arguments always draw the same code.
@lru_cache(maxsize=512)
def qr_svg(url: str, *, css_class: str, label: str = "", scale: int = 0) -> SafeString:
    """Return url's QR code as inline SVG: paths only, no raster image.

    Always black on white with the quiet zone scanners need, whatever the
    colours around it. With a scale, the SVG is that many pixels a module
    wide; without, it has only a viewBox and CSS sets its printed size. A
    label makes it an image with that accessible name.
    """
    svg = segno.make(url, error="m", micro=False).svg_inline(
        border=4,
        scale=scale or 1,
        omitsize=not scale,
        dark="#000",
        light="#fff",
        svgclass=css_class,
        lineclass=None,
    )
    if label:
        image = f'<svg role="img" aria-label="{escape(label)}" focusable="false" '
        svg = svg.replace("<svg ", image, 1)
    # segno writes only numbers and the two colours above (no title or desc),
    # so nothing from the URL reaches the markup as text; the label is escaped.
    return mark_safe(svg)  # noqa: S308
