"""Certificates in any script: each name reads back exactly and prints without boxes.

Certificates are rendered for names in Arabic, Vietnamese, Tigrinya, Amharic
and Chinese, and for names mixing scripts, then read back as a person's tools
would read them: poppler's pdftotext (poppler-utils, which `make system-deps`
installs) and the fonts embedded in the PDF.

- pdftotext gives each name back exactly, as NFC. It marks each run it reads
  right to left with U+202B ... U+202C, the embedding controls its reorderText
  adds to say which way the run reads; they are not in the PDF and are removed
  before comparing.
- For a name mixing directions, pdftotext's reading order is not exact:
  reorderText counts a space between a right-to-left and a left-to-right run
  as part of the right-to-left run, so "Amina أمينة 王芳" comes back as
  "Amina  أمينة王芳". Those names are checked word by word where the words
  are drawn, from left to right (`pdftotext -bbox-layout`).
- Every glyph drawn is a real glyph of the font embedded for it: not .notdef
  and not one of the glyph numbers WeasyPrint gives a character no font has
  (those show as boxes).
- Arabic letters are joined: a letter that joins the next one is not drawn
  with its isolated glyph.
- A name typed by a learner is NFC-normalised once, when it is entered, and
  the verify page, the Open Badges credential and the PDF all carry those
  same characters.
"""

import io
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pypdf
import pytest
from django.test import TestCase
from fontTools.ttLib import TTFont

from certificates.models import Certificate
from certificates.pdf import (
    FONT_DIR,
    FONT_FACES,
    CertificateDesign,
    CertificatePrint,
    UnprintableName,
    render_certificate_pdf,
    unprintable_characters,
)

from .issuing import finish_course, make_course

CODE = "ABCD-EFGH-JKMN"
NAMES = {
    "arabic": "فاطمة الزهراء",
    "arabic with lam-alef": "علاء الدين سلامة",
    "vietnamese": "Nguyễn Thị Minh Khai",
    "tigrinya": "ተስፋይ ገብረሚካኤል",
    "amharic": "ሰላማዊት ተፈራ",
    "chinese, simplified": "王芳",
    "chinese, traditional": "陳淑芬",
    "chinese, a given name's rarer character": "张喆",
}
ARABIC_NAME = NAMES["arabic"]
# Each starts or continues a join in ARABIC_NAME, so never shows its isolated form.
ARABIC_JOINING = "فطمله"
# A name's words as drawn from left to right; pdftotext gives the letters of a
# right-to-left word in the order they are drawn, so reversed.
LAYOUTS = {
    "Amina أمينة 王芳": ["Amina", "أمينة"[::-1], "王芳"],
    "أمينة Amina 王芳": ["Amina", "王芳", "أمينة"[::-1]],
    ARABIC_NAME: ["الزهراء"[::-1], "فاطمة"[::-1]],
    "ተስፋይ Tesfay": ["ተስፋይ", "Tesfay"],
}
# Poppler's marks around a run it reads right to left (RLE ... PDF).
POPPLER_MARKS = str.maketrans("", "", "\u202b\u202c")
XHTML = "{http://www.w3.org/1999/xhtml}"


def make_print(name: str, **changes) -> CertificatePrint:
    return CertificatePrint(
        **{
            "holder_name": name,
            "course_title": "Peer mentoring foundations",
            "hours": Decimal("6"),
            "completed_on": date(2025, 11, 26),
            "issuer_name": "Circles Training",
            "code": CODE,
            "verify_url": f"https://circles.example.org/verify/{CODE}",
            **changes,
        }
    )


@pytest.fixture(scope="module")
def pdftotext() -> str:
    path = shutil.which("pdftotext")
    if path is None:
        pytest.fail("pdftotext is missing: `make system-deps` installs poppler-utils")
    return path


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    """Each name's certificate, rendered once for the module."""
    names = {*NAMES.values(), *LAYOUTS}
    return {
        name: render_certificate_pdf(make_print(name), CertificateDesign())
        for name in names
    }


def read_text(pdftotext: str, pdf: bytes, *options: str) -> str:
    result = subprocess.run(  # noqa: S603 - a fixed command line and our own PDF
        [pdftotext, *options, "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def name_line_words(pdftotext: str, pdf: bytes) -> list[str]:
    """Return the words of the name's line, left to right as drawn."""
    # Our own renderer's output read by poppler, not untrusted input.
    page = ET.fromstring(read_text(pdftotext, pdf, "-bbox-layout"))  # noqa: S314
    lines = list(page.iter(f"{XHTML}line"))

    def height(line: ET.Element) -> float:
        return float(line.get("yMax")) - float(line.get("yMin"))

    # The name is the largest text on the certificate.
    name_line = max(lines, key=height)
    words = name_line.iter(f"{XHTML}word")
    return [word.text for word in sorted(words, key=lambda w: float(w.get("xMin")))]


def drawn_glyphs(pdf: bytes) -> dict[str, tuple[set[int], TTFont]]:
    """Return, by font name, the glyph numbers the page draws and the font embedded."""
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    fonts = page["/Resources"]["/Font"]
    drawn: dict[str, set[int]] = {}
    font = None
    # WeasyPrint writes "/F 12 Tf" to choose a font, then every glyph as a
    # two-byte hex string (Identity-H: the code is the glyph number).
    pattern = rb"/(\w+) [-\d.]+ Tf|\[([^\]]*)\] ?TJ|<([0-9a-f]*)> ?Tj"
    for match in re.finditer(pattern, page.get_contents().get_data()):
        if match[1]:
            font = f"/{match[1].decode()}"
            continue
        for hex_string in re.findall(rb"<([0-9a-f]*)>", match[0]):
            codes = bytes.fromhex(hex_string.decode())
            drawn.setdefault(font, set()).update(
                int.from_bytes(codes[i : i + 2], "big") for i in range(0, len(codes), 2)
            )
    result = {}
    for key, glyphs in drawn.items():
        font_dict = fonts[key].get_object()
        name = str(font_dict["/BaseFont"]).split("+", 1)[-1]
        descendant = font_dict["/DescendantFonts"][0].get_object()
        program = descendant["/FontDescriptor"].get_object()["/FontFile2"]
        result[name] = (glyphs, TTFont(io.BytesIO(program.get_object().get_data())))
    return result


def boxes(pdf: bytes) -> dict[str, set[int]]:
    """Return, by font name, the glyphs drawn that would show as a box."""
    found = {}
    for name, (glyphs, font) in drawn_glyphs(pdf).items():
        count = font["maxp"].numGlyphs
        missing = {glyph for glyph in glyphs if glyph == 0 or glyph >= count}
        if missing:
            found[name] = missing
    return found


# Reading the name back


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_pdftotext_gives_the_name_back_exactly(name, pdfs, pdftotext):
    text = read_text(pdftotext, pdfs[name]).translate(POPPLER_MARKS)
    lines = [unicodedata.normalize("NFC", line.strip()) for line in text.splitlines()]
    assert name in lines  # the name's own line, exactly
    assert CODE in lines


@pytest.mark.parametrize("name", LAYOUTS)
def test_words_of_a_name_are_drawn_in_the_order_its_direction_gives(
    name, pdfs, pdftotext
):
    assert name_line_words(pdftotext, pdfs[name]) == LAYOUTS[name]


# Glyphs


@pytest.mark.parametrize("name", [*NAMES.values(), *LAYOUTS])
def test_every_glyph_drawn_is_in_a_shipped_font_and_none_is_a_box(name, pdfs):
    shipped = {face.family.replace(" ", "-") for face in FONT_FACES}
    drawn = drawn_glyphs(pdfs[name])
    assert {font.removesuffix("-Bold") for font in drawn} <= shipped
    assert boxes(pdfs[name]) == {}


def test_the_glyph_check_finds_the_box_of_a_character_no_font_has():
    # Only the name is refused; a course title can still carry a character no
    # font has (a private-use one here), and it must show up as a box.
    pdf = render_certificate_pdf(
        make_print("王芳", course_title="Peer mentoring \U0010fffd"),
        CertificateDesign(),
    )
    assert boxes(pdf)


def test_arabic_letters_are_joined_not_drawn_in_their_isolated_forms(pdfs):
    glyphs, _ = drawn_glyphs(pdfs[ARABIC_NAME])["Circles-Sans-Arabic-Bold"]
    shipped = TTFont(FONT_DIR / "NotoSansArabic-Bold.ttf", lazy=True)
    isolated = {
        shipped.getGlyphID(shipped.getBestCmap()[ord(c)]) for c in ARABIC_JOINING
    }
    # WeasyPrint keeps glyph numbers in the subsets it embeds, so they compare.
    assert glyphs
    assert not glyphs & isolated


# Names the fonts cannot print


@pytest.mark.parametrize(
    "name", [*NAMES.values(), "Zoë O'Brien-Łukasz", "Ольга", "Amina\u200d"]
)
def test_names_in_the_shipped_scripts_are_printable(name):
    assert unprintable_characters(name) == ""


@pytest.mark.parametrize(
    ("name", "missing"),
    [
        ("Kim 김민준", "김민준"),  # Korean: no Hangul font is shipped
        ("Ana 🌸🌸", "🌸"),
        ("王𠀀", "𠀀"),  # beyond the common hanzi the Chinese subset keeps
    ],
)
def test_a_name_with_characters_no_font_has_is_refused_not_printed_as_boxes(
    name, missing
):
    assert unprintable_characters(name) == missing
    with pytest.raises(UnprintableName) as refused:
        make_print(name)
    assert refused.value.characters == missing
    # The message reaches logs, so it names no character of the name.
    assert not set(missing) & set(str(refused.value))


def test_the_chinese_subset_is_small_and_licensed():
    cjk = [face for face in FONT_FACES if face.family == "Circles Sans CJK"]
    assert [face.weight for face in cjk] == [400, 700]
    for face in cjk:
        assert (FONT_DIR / face.filename).stat().st_size < 4_000_000
    licence = (FONT_DIR / "OFL-NotoSansCJK.txt").read_text()
    assert "SIL OPEN FONT LICENSE" in licence
    assert "Adobe" in licence


# From the learner's keyboard to the page, the credential and the PDF


def test_a_name_typed_decomposed_is_kept_as_nfc_and_shown_unchanged_everywhere(
    course_index, learner, learner_client, client, pdftotext
):
    course = make_course(course_index)
    finish_course(learner, course)
    name = "Nguyễn أمينة 王芳"
    typed = unicodedata.normalize("NFD", name)
    assert typed != name  # "ễ" and "أ" arrive as letters plus combining marks
    with TestCase.captureOnCommitCallbacks(execute=True):
        learner_client.post(
            f"/learn/certificates/name/?next={course.url}", {"printed_name": typed}
        )
    certificate = Certificate.objects.get(learner=learner, course=course)
    assert certificate.printed_name == name

    page = client.get(f"/verify/{certificate.display_code}/").content.decode()
    # <bdi> sets the name in its own direction, apart from the page's.
    assert f"<bdi>{name}</bdi>" in page
    [identity] = certificate.credential["credentialSubject"]["identifier"]
    assert identity["identityHash"] == name
    with certificate.pdf.open("rb") as file:
        words = name_line_words(pdftotext, file.read())
    assert words == ["Nguyễn", "أمينة"[::-1], "王芳"]


def test_the_name_form_says_which_letters_cannot_be_printed_before_any_pdf():
    from certificates.services import clean_printed_name
    from circles.refusals import Refusal

    with pytest.raises(Refusal) as refused:
        clean_printed_name("Kim 김민준")
    assert "김 민 준" in str(refused.value.message)
    assert clean_printed_name("Nguyễn Thị Minh Khai") == "Nguyễn Thị Minh Khai"
