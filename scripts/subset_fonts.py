"""Make the two subset fonts the repository ships, from Debian's Noto packages.

Both are subsets of OFL fonts, made with fontTools (a WeasyPrint dependency,
already in the virtualenv); run this again only to change what they cover.

``cjk``: the Chinese font for certificate PDFs. Noto Sans CJK is 20 MB a
weight, so only the Simplified Chinese face ("Noto Sans CJK SC", whose glyphs
follow mainland forms for every character) is taken, cut to 10,241 hanzi:
the Table of General Standard Chinese Characters (通用规范汉字表, 2013:
8,105 simplified characters, the rare ones used in names among them, as
Unihan's kTGH lists them), the hanzi of GB 2312 (6,763) and Big5 level 1
(5,401 common traditional characters); with CJK symbols and punctuation and
the fullwidth forms. Layout features and the vertical-writing tables are
dropped (a certificate is set horizontally) and so is hinting (a PDF is
scaled by its viewer). The cubic CFF outlines are then turned into TrueType
quadratic ones (within 1/1000 of an em): WeasyPrint keeps glyph numbers when
it embeds a subset, and an empty TrueType glyph costs almost nothing where an
empty CFF one does not, so a Chinese name's PDF is about 18 kB instead of
63 kB. That leaves about 3.3 MB a weight. Its sources are two Debian 12
packages, the fonts (1:20220127+repack1-1) and the Unicode 15.0 data with
Unihan (15.0.0-1)::

    apt-get download fonts-noto-cjk unicode-data
    for deb in fonts-noto-cjk_*.deb unicode-data_*.deb; do
        dpkg-deb -x "$deb" /tmp/cjk-sources
    done
    .venv/bin/python scripts/subset_fonts.py cjk /tmp/cjk-sources/usr/share

``web-arabic``: the web font for the site's Arabic pages, WOFF2 files under
circles/static/fonts/, made from the Noto Sans Arabic files already in
certificates/fonts/ and cut to the Arabic blocks (with their shaping
features, which Arabic needs to join its letters)::

    .venv/bin/python scripts/subset_fonts.py web-arabic

The output does not depend on when it is made (no timestamps are written),
so running it again with the same sources changes no file.
"""

import argparse
import bz2
import sys
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

ROOT = Path(__file__).resolve().parent.parent
CERTIFICATE_FONTS = ROOT / "certificates" / "fonts"
STATIC_FONTS = ROOT / "circles" / "static" / "fonts"
WEIGHTS = ("Regular", "Bold")

CJK_FACE = "Noto Sans CJK SC"
CJK_OUTPUT = "NotoSansCJKsc-Common-{weight}.ttf"
# CJK Symbols and Punctuation (、。「」〇 and the ideographic space), the
# katakana middle dot some write between the parts of a transcribed name,
# and the Halfwidth and Fullwidth Forms (，：（）).
CJK_PUNCTUATION = (
    *range(0x3000, 0x3040),
    0x30FB,
    *range(0xFF00, 0xFFF0),
)

ARABIC_SOURCE = "NotoSansArabic-{weight}.ttf"
ARABIC_OUTPUT = "NotoSansArabic-{weight}.woff2"
# Arabic, Arabic Supplement, Arabic Extended-A, the presentation forms, and
# the joiners and direction marks that Arabic text carries.
ARABIC_RANGES = (
    *range(0x0600, 0x0700),
    *range(0x0750, 0x0780),
    *range(0x08A0, 0x0900),
    *range(0x200C, 0x2010),
    *range(0xFB50, 0xFE00),
    *range(0xFE70, 0xFF00),
)


def common_hanzi(unihan_dir: Path) -> set[str]:
    """Return the hanzi of the 2013 table, GB 2312 and Big5 level 1 (10,241)."""
    # GB 2312 rows 16-87 are its hanzi; Big5 0xA440-0xC67E is level 1.
    gb2312 = _decoded("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF))
    big5_trails = (*range(0x40, 0x7F), *range(0xA1, 0xFF))
    big5 = _decoded("big5", range(0xA4, 0xC6), big5_trails)
    big5 |= _decoded("big5", (0xC6,), range(0x40, 0x7F))
    return _general_standard(unihan_dir) | gb2312 | big5


def _general_standard(unihan_dir: Path) -> set[str]:
    """Return the 8,105 characters of the 2013 Table of General Standard Characters."""
    found = set()
    with bz2.open(unihan_dir / "Unihan_OtherMappings.txt.bz2", "rt") as lines:
        for line in lines:
            # Lines are "U+4E00<tab>kTGH<tab>2013:1"; comments start with "#".
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 3 and fields[1] == "kTGH":
                found.add(chr(int(fields[0].removeprefix("U+"), 16)))
    if len(found) != 8105:
        raise SystemExit(
            f"Expected 8,105 kTGH characters in Unihan, found {len(found)}."
        )
    return found


def _decoded(codec: str, leads: Iterable[int], trails: Iterable[int]) -> set[str]:
    trails = tuple(trails)
    found = set()
    for lead in leads:
        for trail in trails:
            try:
                found.add(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                continue  # an unassigned position
    return found


def make_cjk(share_dir: Path) -> None:
    """Write the certificate's Chinese font subsets into certificates/fonts/."""
    hanzi = common_hanzi(share_dir / "unicode")
    unicodes = {ord(c) for c in hanzi} | set(CJK_PUNCTUATION)
    for weight in WEIGHTS:
        collection = TTCollection(
            share_dir / "fonts" / "opentype" / "noto" / f"NotoSansCJK-{weight}.ttc"
        )
        font = _face(collection, CJK_FACE)
        options = _options(hinting=False)
        options.layout_features = []
        options.drop_tables += ["vhea", "vmtx", "VORG", "BASE"]
        _subset(font, unicodes, options)
        _to_truetype(font)
        _note_in_version(font, "subset: common hanzi (TGSCC, GB 2312, Big5 level 1)")
        _save(font, CERTIFICATE_FONTS / CJK_OUTPUT.format(weight=weight))


def make_web_arabic() -> None:
    """Write the site's Arabic WOFF2 fonts into circles/static/fonts/."""
    STATIC_FONTS.mkdir(exist_ok=True)
    for weight in WEIGHTS:
        font = TTFont(CERTIFICATE_FONTS / ARABIC_SOURCE.format(weight=weight))
        options = _options(hinting=True)
        options.layout_features = ["*"]
        options.flavor = "woff2"
        _subset(font, set(ARABIC_RANGES), options)
        font.flavor = "woff2"
        _note_in_version(font, "subset: Arabic blocks")
        _save(font, STATIC_FONTS / ARABIC_OUTPUT.format(weight=weight))


def _face(collection: TTCollection, family: str) -> TTFont:
    for font in collection.fonts:
        if font["name"].getDebugName(1) == family:
            return font
    raise SystemExit(f"No face of the family {family!r} in the collection.")


def _options(*, hinting: bool) -> subset.Options:
    options = subset.Options()
    options.hinting = hinting
    options.notdef_outline = True  # a missing glyph shows as a box, not nothing
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    return options


def _subset(font: TTFont, unicodes: set[int], options: subset.Options) -> None:
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)


def _to_truetype(font: TTFont) -> None:
    """Replace the font's CFF outlines by TrueType ones, as fontTools' otf2ttf does."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        # TrueType contours run clockwise, CFF ones counter-clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(glyph_order)
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1  # the rest is counted again when the font is saved
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    font.sfntVersion = "\x00\x01\x00\x00"


def _note_in_version(font: TTFont, note: str) -> None:
    """Say in the version string that this is a subset (OFL: a Modified Version)."""
    names = font["name"]
    for record in names.names:
        if record.nameID == 5:
            names.setName(
                f"{record.toUnicode()}; {note}",
                5,
                record.platformID,
                record.platEncID,
                record.langID,
            )


def _save(font: TTFont, path: Path) -> None:
    font.recalcTimestamp = False  # the same sources give the same bytes
    font.save(path)
    glyphs = len(font.getGlyphOrder())
    print(f"{path.relative_to(ROOT)}: {glyphs} glyphs, {path.stat().st_size:,} bytes")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    cjk = commands.add_parser("cjk", help="the certificates' Chinese font")
    cjk.add_argument(
        "share_dir", type=Path, help="usr/share of the unpacked Debian packages"
    )
    commands.add_parser("web-arabic", help="the site's Arabic web font")
    arguments = parser.parse_args(argv)
    if arguments.command == "cjk":
        make_cjk(arguments.share_dir)
    else:
        make_web_arabic()


if __name__ == "__main__":
    main(sys.argv[1:])
