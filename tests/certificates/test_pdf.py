"""The certificate PDF: text, fonts, PDF/A-3b metadata, attachment and safety.

No database: certificates.pdf is a pure rendering layer.
"""

import io
import re
import unicodedata
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pypdf
import pytest
import segno
from django.utils import translation
from PIL import Image

from certificates.pdf import (
    FONT_DIR,
    FONT_FACES,
    CertificateDesign,
    CertificateDoesNotFit,
    CertificatePrint,
    ResourceRefused,
    RestrictedURLFetcher,
    certificate_filename,
    render_certificate_html,
    render_certificate_pdf,
)

CODE = "ABCD-EFGH-JKMN"
VERIFY_URL = f"https://circles.example.org/verify/{CODE}"
VIETNAMESE = "Nguyễn Thị Minh Khai"
ARABIC = "فاطمة الزهراء"
CREDENTIAL = (
    b'{"@context": ["https://www.w3.org/ns/credentials/v2"], '
    b'"name": "Nguy\xe1\xbb\x85n", "bytes": "\\u0000 kept as sent"}\n'
)
PDF_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


def make_print(**changes) -> CertificatePrint:
    fields = {
        "holder_name": VIETNAMESE,
        "course_title": "Peer mentoring foundations",
        "hours": Decimal("12.5"),
        "completed_on": date(2025, 11, 26),
        "issuer_name": "Circles Training",
        "code": CODE,
        "verify_url": VERIFY_URL,
        "expires_on": None,
        **changes,
    }
    return CertificatePrint(**fields)


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def page_text(pdf: bytes) -> str:
    return unicodedata.normalize("NFC", reader(pdf).pages[0].extract_text())


def base_fonts(pdf: bytes) -> list[str]:
    """Return each font's name without its subset prefix ("ABCDEF+")."""
    fonts = reader(pdf).pages[0]["/Resources"]["/Font"]
    return sorted(
        str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1]
        for font in fonts.values()
    )


def image_xobjects(resources) -> list:
    """Return every raster image on a page, looking inside form XObjects too."""
    found = []
    for xobject in (resources or {}).get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Image":
            found.append(xobject)
        elif xobject.get("/Subtype") == "/Form":
            found.extend(image_xobjects(xobject.get("/Resources")))
    return found


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), (29, 92, 99)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def vietnamese_pdf() -> bytes:
    return render_certificate_pdf(
        make_print(expires_on=date(2027, 11, 26)),
        CertificateDesign(signatory_name="Amina Yusuf", signatory_title="Trainer"),
        credential_json=CREDENTIAL,
    )


@pytest.fixture(scope="module")
def arabic_pdf() -> bytes:
    return render_certificate_pdf(
        make_print(holder_name=ARABIC),
        CertificateDesign(page_size="Letter", orientation="portrait"),
    )


# Text


def test_pdf_text_has_name_course_hours_date_issuer_code_and_url(vietnamese_pdf):
    text = page_text(vietnamese_pdf)
    assert VIETNAMESE in text
    assert "Peer mentoring foundations" in text
    assert "12.5" in text
    assert "26 November 2025" in text
    assert "26 November 2027" in text  # the expiry
    assert "Circles Training" in text
    assert "Amina Yusuf" in text
    assert CODE in text
    assert VERIFY_URL in text.replace("\n", "")


def test_pdf_is_one_page(vietnamese_pdf, arabic_pdf):
    assert len(reader(vietnamese_pdf).pages) == 1
    assert len(reader(arabic_pdf).pages) == 1


@pytest.mark.parametrize(
    ("page_size", "orientation"),
    [("A4", "landscape"), ("Letter", "landscape"), ("A4", "portrait")],
)
def test_long_name_course_and_issuer_fit_on_one_page(page_size, orientation):
    name = "Maria Fernanda de los Ángeles Guadalupe Rodríguez-Hernández y López"
    pdf = render_certificate_pdf(
        make_print(
            holder_name=name,
            course_title="An extended introduction to peer mentoring practice, "
            "boundaries, self-care and referral pathways for community settings",
            issuer_name="Circles Training Collaborative of the North West Region",
            expires_on=date(2027, 1, 1),
        ),
        CertificateDesign(
            signatory_name="Amina Yusuf",
            signatory_title="Lead trainer and programme coordinator",
            signature_image=png_bytes(),
            logo=png_bytes(),
            page_size=page_size,
            orientation=orientation,
        ),
    )
    assert len(reader(pdf).pages) == 1
    text = page_text(pdf).replace("\n", " ")
    assert name in text
    assert CODE in text


def test_long_body_text_is_set_smaller_to_stay_on_one_page():
    body = "{name} took part in every session. " * 25
    html = render_certificate_html(make_print(), CertificateDesign(body_text=body))
    assert "font-size: 11.00pt;" in html  # the HTML is at full size
    pdf = render_certificate_pdf(make_print(), CertificateDesign(body_text=body))
    assert len(reader(pdf).pages) == 1
    assert CODE in page_text(pdf)


def test_text_that_never_fits_is_refused():
    with pytest.raises(CertificateDoesNotFit):
        render_certificate_pdf(
            make_print(), CertificateDesign(body_text="Far too long. " * 600)
        )


def test_arabic_name_is_text_in_the_shipped_arabic_font(arabic_pdf):
    # Extraction may reorder right-to-left runs or return presentation forms,
    # so compare letters after NFKC (which maps those forms to base letters).
    text = unicodedata.normalize("NFKC", page_text(arabic_pdf))
    letters = {c for c in ARABIC if unicodedata.bidirectional(c) == "AL"}
    assert letters <= set(text)
    assert CODE in text
    # "Circles Sans Arabic" is a family name only our @font-face rules give,
    # and only to the file in certificates/fonts: no system font stood in.
    assert "Circles-Sans-Arabic-Bold" in base_fonts(arabic_pdf)


def test_arabic_name_element_is_right_to_left():
    html = render_certificate_html(make_print(holder_name=ARABIC), CertificateDesign())
    assert re.search(rf'<p class="name [^"]*" dir="rtl">{ARABIC}</p>', html)
    latin = render_certificate_html(make_print(), CertificateDesign())
    assert re.search(rf'<p class="name [^"]*" dir="ltr">{VIETNAMESE}</p>', latin)


def test_every_font_in_the_pdf_is_a_shipped_font_embedded(vietnamese_pdf, arabic_pdf):
    shipped = {face.family.replace(" ", "-") for face in FONT_FACES}
    for pdf in (vietnamese_pdf, arabic_pdf):
        fonts = reader(pdf).pages[0]["/Resources"]["/Font"]
        for font in fonts.values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            assert name.removesuffix("-Bold") in shipped
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object()  # embedded, as PDF/A needs


def test_shipped_fonts_and_licence_are_in_the_repository():
    for face in FONT_FACES:
        assert (FONT_DIR / face.filename).stat().st_size > 100_000
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "OFL.txt").read_text()
    # The Chinese pair is most of it (certificates/fonts/README.md).
    assert sum(f.stat().st_size for f in FONT_DIR.iterdir()) < 10_000_000


def test_html_in_a_name_is_printed_literally():
    hostile = make_print(holder_name="<b>x</b> & Co", course_title="<i>c</i>")
    html = render_certificate_html(hostile, CertificateDesign())
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt; &amp; Co" in html
    text = page_text(render_certificate_pdf(hostile, CertificateDesign()))
    assert "<b>x</b> & Co" in text
    assert "<i>c</i>" in text


def test_body_text_is_escaped_and_only_known_placeholders_are_filled():
    design = CertificateDesign(
        body_text="<script>x</script> {name} did {course} in {hours}h; "
        "{name.__class__} {unknown} {{name}}"
    )
    html = render_certificate_html(make_print(holder_name="<b>A</b>"), design)
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<bdi>&lt;b&gt;A&lt;/b&gt;</bdi>" in html
    assert "<bdi>Peer mentoring foundations</bdi>" in html
    assert "<bdi>12.5</bdi>h" in html
    # No str.format(): attribute access and unknown names stay as written.
    assert "{name.__class__} {unknown} {<bdi>&lt;b&gt;A&lt;/b&gt;</bdi>}" in html


def test_default_texts_follow_the_active_language():
    with translation.override("es"):
        html = render_certificate_html(make_print(), CertificateDesign())
    assert '<html lang="es" dir="ltr">' in html
    with translation.override("ar"):
        html = render_certificate_html(make_print(), CertificateDesign())
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.parametrize(
    ("hours", "printed"),
    [(Decimal("12.50"), "12.5"), (Decimal("10"), "10"), (8.0, "8"), (1.1, "1.1")],
)
def test_hours_are_printed_without_trailing_zeros(hours, printed):
    html = render_certificate_html(make_print(hours=hours), CertificateDesign())
    assert f'<span class="value">{printed}</span>' in html


# PDF/A-3b, metadata and the attachment


def test_xmp_declares_pdf_a_3b(vietnamese_pdf):
    pdf = reader(vietnamese_pdf)
    xmp = pdf.trailer["/Root"]["/Metadata"].get_object().get_data()
    # Our own renderer's output, not untrusted input.
    root = ET.fromstring(  # noqa: S314
        xmp[xmp.index(b"<x:xmpmeta") : xmp.rindex(b"</x:xmpmeta>") + 12]
    )
    part = conformance = None
    for description in root.iter(f"{{{PDF_NS['rdf']}}}Description"):
        part = description.get(f"{{{PDF_NS['pdfaid']}}}part", part)
        conformance = description.get(f"{{{PDF_NS['pdfaid']}}}conformance", conformance)
        for child in description:
            if child.tag == f"{{{PDF_NS['pdfaid']}}}part":
                part = child.text
            if child.tag == f"{{{PDF_NS['pdfaid']}}}conformance":
                conformance = child.text
    assert (part, conformance) == ("3", "B")
    assert pdf.pdf_header == "%PDF-1.7"
    intents = pdf.trailer["/Root"]["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1"


def test_title_is_neutral_and_nothing_personal_is_in_the_metadata(vietnamese_pdf):
    pdf = reader(vietnamese_pdf)
    assert pdf.metadata.title == f"Certificate {CODE}"
    assert set(pdf.metadata) <= {"/Title", "/Producer", "/CreationDate", "/ModDate"}
    xmp = pdf.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    for private in (VIETNAMESE, "Nguy", "Peer mentoring", "Amina"):
        assert private not in pdf.metadata.title
        assert private not in xmp


def test_credential_json_is_attached_byte_for_byte(vietnamese_pdf):
    pdf = reader(vietnamese_pdf)
    assert pdf.attachments["credential.json"] == [CREDENTIAL]
    catalog = pdf.trailer["/Root"]
    associated = catalog["/AF"]
    assert len(associated) == 1  # listed once, as PDF/A-3 associated file
    filespec = associated[0].get_object()
    assert filespec["/F"] == filespec["/UF"] == "credential.json"
    assert filespec["/AFRelationship"] == "/Data"
    embedded = filespec["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/application/json"
    assert embedded.get_data() == CREDENTIAL


def test_no_outline_that_could_show_page_text(vietnamese_pdf):
    assert "/Outlines" not in reader(vietnamese_pdf).trailer["/Root"]


def test_renders_from_several_threads_at_once():
    prints = [make_print(holder_name=name) for name in (VIETNAMESE, ARABIC, "Ana")]
    with ThreadPoolExecutor(max_workers=3) as pool:
        pdfs = list(
            pool.map(lambda p: render_certificate_pdf(p, CertificateDesign()), prints)
        )
    assert VIETNAMESE in page_text(pdfs[0])
    assert "Ana" in page_text(pdfs[2])


def test_no_attachment_without_credential(arabic_pdf):
    pdf = reader(arabic_pdf)
    assert dict(pdf.attachments) == {}
    assert "/AF" not in pdf.trailer["/Root"]


# Pages


@pytest.mark.parametrize(
    ("page_size", "orientation", "width", "height"),
    [
        ("A4", "landscape", 841.89, 595.28),
        ("A4", "portrait", 595.28, 841.89),
        ("Letter", "portrait", 612, 792),
        ("Letter", "landscape", 792, 612),
    ],
)
def test_page_size_and_orientation(page_size, orientation, width, height):
    design = CertificateDesign(page_size=page_size, orientation=orientation)
    pdf = reader(render_certificate_pdf(make_print(), design))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert float(box.width) == pytest.approx(width, abs=0.1)
    assert float(box.height) == pytest.approx(height, abs=0.1)


# QR code


def test_qr_code_is_vector_and_only_images_given_are_raster(vietnamese_pdf):
    assert image_xobjects(reader(vietnamese_pdf).pages[0]["/Resources"]) == []
    with_logo = render_certificate_pdf(
        make_print(), CertificateDesign(logo=png_bytes())
    )
    assert len(image_xobjects(reader(with_logo).pages[0]["/Resources"])) == 1


def test_qr_code_in_the_html_encodes_the_verify_url():
    html = render_certificate_html(make_print(), CertificateDesign())
    svg = re.search(r'<svg viewBox="0 0 (\d+) (\d+)" class="qr">.*?</svg>', html)
    assert svg, "the QR code is an inline SVG"
    # Redraw the modules from the SVG path and compare them with the symbol
    # segno makes for the URL: the same modules mean the same encoded text.
    size = int(svg[1])
    dark = set()
    for path in re.findall(r'<path stroke="#000" d="([^"]+)"', svg[0]):
        x = y = 0.0
        for command, dx, dy in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
            if command == "M":
                x, y = float(dx), float(dy)
            elif command == "m":
                x, y = x + float(dx), y + float(dy)
            else:
                dark.update((int(x) + i, int(y)) for i in range(int(float(dx))))
                x += float(dx)
    expected = segno.make(VERIFY_URL, error="m", micro=False)
    border = (size - expected.symbol_size(border=0)[0]) // 2
    assert dark == {
        (column + border, row + border)
        for row, line in enumerate(expected.matrix)
        for column, module in enumerate(line)
        if module
    }


# The restricted URL fetcher


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/x.png",
        "https://example.org/font.ttf",
        "ftp://example.org/x",
        "file:///etc/passwd",
        f"file://{FONT_DIR}/../pdf.py",
        f"file://{FONT_DIR}/%2e%2e/pdf.py",
        f"file://other-host{FONT_DIR}/NotoSans-Regular.ttf",
        "relative.png",
    ],
)
def test_fetcher_refuses_everything_but_data_and_shipped_fonts(url, no_network):
    fetcher = RestrictedURLFetcher()
    with pytest.raises(ResourceRefused, match="refused|other hosts"):
        fetcher.fetch(url)
    assert fetcher.refusals


def test_fetcher_loads_data_uris_and_shipped_fonts(no_network):
    fetcher = RestrictedURLFetcher()
    font = fetcher.fetch(FONT_FACES[0].url)
    assert font.read() == (FONT_DIR / FONT_FACES[0].filename).read_bytes()
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    assert fetcher.fetch("data:,a%20b").read() == b"a b"


def test_design_takes_only_png_images(no_network):
    # Production hands over PNG renditions only; an SVG could refer to files.
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        b'<image href="file:///etc/passwd" width="10" height="10"/></svg>'
    )
    with pytest.raises(ValueError, match="PNG"):
        CertificateDesign(logo=svg)
    with pytest.raises(ValueError, match="PNG"):
        CertificateDesign(signature_image=b"\xff\xd8\xff JPEG")


def test_render_uses_no_network(no_network):
    pdf = render_certificate_pdf(
        make_print(), CertificateDesign(logo=png_bytes(), signature_image=png_bytes())
    )
    assert pdf.startswith(b"%PDF-1.7")


# Validation


@pytest.mark.parametrize(
    "colour", ["red; } body {display:none", "red", "#12", "#1234567", "#ggg", ""]
)
def test_colours_must_be_hex(colour):
    with pytest.raises(ValueError, match="hex colour"):
        CertificateDesign(primary_color=colour)
    with pytest.raises(ValueError, match="hex colour"):
        CertificateDesign(accent_color=colour)


def test_short_and_long_hex_colours_reach_the_css():
    html = render_certificate_html(
        make_print(), CertificateDesign(primary_color="#abc", accent_color="#A0B1C2")
    )
    assert "border: 2.5pt solid #abc;" in html
    assert "border-top: 2pt solid #A0B1C2;" in html


@pytest.mark.parametrize(
    "changes",
    [
        {"page_size": "A3"},
        {"orientation": "sideways"},
        {"logo": b"GIF89a not allowed"},
    ],
)
def test_design_refuses_other_sizes_and_image_types(changes):
    with pytest.raises(ValueError):
        replace(CertificateDesign(), **changes)


@pytest.mark.parametrize(
    "changes",
    [
        {"code": "abcd-efgh-jkmn"},
        {"code": "ABCDEFGHJKMN"},
        {"holder_name": "  "},
        {"hours": Decimal("-1")},
        {"hours": Decimal("0")},
        {"hours": float("nan")},
        {"verify_url": "javascript:alert(1)"},
        {"verify_url": "https://example.org/a b"},
    ],
)
def test_print_refuses_bad_values(changes):
    with pytest.raises(ValueError):
        make_print(**changes)


def test_certificate_filename_is_neutral():
    assert certificate_filename(CODE) == f"certificate-{CODE}.pdf"
    assert certificate_filename("abcd efgh jkmn") == f"certificate-{CODE}.pdf"
    with pytest.raises(ValueError):
        certificate_filename("../../etc/passwd")
