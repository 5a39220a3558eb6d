"""Certificate PDFs: one page of PDF/A-3b, drawn with fonts shipped in this app.

A pure rendering layer with no database access: callers pass a
``CertificatePrint`` (the snapshot a certificate certifies) and a
``CertificateDesign`` (the trainer's template) and get HTML or PDF bytes back.
Text is rendered in the active language, so a background task wraps the call
in ``translation.override(...)``.

A name in any script the shipped fonts cover (Latin, Greek, Cyrillic, Arabic,
Ge'ez, common Chinese; see certificates/fonts/README.md) prints in them, and
each name, title and value is set in its own direction; a name with a
character they lack is refused (``UnprintableName``), never printed as boxes.

The renderer loads nothing from the network and no file outside
``certificates/fonts/``: logo and signature arrive as PNG bytes (the admin
converts uploads) and are embedded as ``data:`` URIs, and any other URL raises
``ResourceRefused`` before anything is opened.
"""

import binascii
import functools
import mimetypes
import re
import threading
import unicodedata
from base64 import b64decode, b64encode
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NamedTuple
from urllib.parse import unquote_to_bytes, urlsplit
from urllib.request import url2pathname

import pydyf
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from fontTools.ttLib import TTFont
from weasyprint import HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .codes import format_code
from .hours import certified_hours
from .qr import qr_svg

__all__ = [
    "DEFAULT_BODY_TEXT",
    "DEFAULT_TITLE_TEXT",
    "FONT_DIR",
    "FONT_FACES",
    "PDF_OPTIONS",
    "CertificateDesign",
    "CertificateDoesNotFit",
    "CertificatePrint",
    "FontFace",
    "ResourceRefused",
    "RestrictedURLFetcher",
    "UnprintableName",
    "certificate_filename",
    "document_title",
    "render_certificate_html",
    "render_certificate_pdf",
    "unprintable_characters",
]

TEMPLATE_NAME = "certificates/pdf/certificate.html"
FONT_DIR = Path(__file__).resolve().parent / "fonts"


class FontFace(NamedTuple):
    """One @font-face rule: a family name, a weight and a file in FONT_DIR."""

    family: str
    weight: int
    filename: str

    @property
    def url(self) -> str:
        """Return the file:// URL of the font, which the fetcher allows."""
        return (FONT_DIR / self.filename).as_uri()


# Family names of our own, so a Noto Sans installed on the server can never
# stand in for the shipped files and make output differ between machines.
FONT_FACES = (
    FontFace("Circles Sans", 400, "NotoSans-Regular.ttf"),
    FontFace("Circles Sans", 700, "NotoSans-Bold.ttf"),
    FontFace("Circles Sans Arabic", 400, "NotoSansArabic-Regular.ttf"),
    FontFace("Circles Sans Arabic", 700, "NotoSansArabic-Bold.ttf"),
    FontFace("Circles Sans Ethiopic", 400, "NotoSansEthiopic-Regular.ttf"),
    FontFace("Circles Sans Ethiopic", 700, "NotoSansEthiopic-Bold.ttf"),
    FontFace("Circles Sans CJK", 400, "NotoSansCJKsc-Common-Regular.ttf"),
    FontFace("Circles Sans CJK", 700, "NotoSansCJKsc-Common-Bold.ttf"),
)

# Short and long side in millimetres.
PAGE_SIZES = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
ORIENTATIONS = ("landscape", "portrait")
# What the @page rule in the template takes from the page height: 9 mm margin
# and 8 mm padding on each side, the 2.5 pt border, and 0.5 mm so rounding can
# never push the footer onto a second page.
_PAGE_FRAME_MM = 2 * 9 + 2 * 8 + 2 * 2.5 * 25.4 / 72 + 0.5
# Height of the footer row (signature, QR code and the verification lines).
_FOOTER_MM = 50
# Text sizes to try, largest first, until the content fits its row: a long
# name, course title or body text is set smaller rather than spill over.
_TEXT_SCALES = (1.0, 0.85, 0.72)
_ROOT_FONT_PT = 11
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Translators: {name}, {course}, {hours}, {date} and {issuer} are filled in
# when the certificate is printed; keep them exactly as they are, in English.
DEFAULT_BODY_TEXT = _(
    "This certifies that {name} completed {course}, {hours} hours of training, "
    "on {date}. Issued by {issuer}."
)
DEFAULT_TITLE_TEXT = _("Certificate of completion")

# Options for WeasyPrint's render() and write_pdf(). The PDF/A-3b variant also
# turns on a PDF identifier and an sRGB output intent, and allows embedded
# files (PDF/A-3 is the part that permits non-PDF attachments).
PDF_OPTIONS = MappingProxyType(
    {
        "pdf_variant": "pdf/a-3b",
        "presentational_hints": False,
        # Subsets: only the glyphs a certificate uses go into the file.
        "full_fonts": False,
    }
)

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_PLACEHOLDER = re.compile(r"\{(name|course|hours|date|issuer)\}")


class ResourceRefused(ValueError):
    """A URL the certificate renderer will not load."""


class CertificateDoesNotFit(ValueError):
    """Text too long for one page even at the smallest text size."""


class UnprintableName(ValueError):
    """A name with characters that no shipped font draws, which would print as boxes."""

    def __init__(self, characters: str) -> None:
        #: Each character that cannot be printed, once, in the order typed.
        #: Not in the message: messages reach logs, and these are part of a name.
        self.characters = characters
        super().__init__(
            f"The certificate fonts cannot draw {len(characters)} of the "
            f"characters in the name."
        )


class RestrictedURLFetcher(URLFetcher):
    """Load data: URIs and files inside the allowed folders; refuse the rest.

    Never opens a network connection: data: URIs are decoded here and files
    read directly, and every other URL raises ResourceRefused before anything
    is opened. Errors stop the render (``fail_on_errors``) instead of being
    logged and skipped, so a refused resource can never quietly turn into a
    certificate drawn without its fonts or images.
    """

    def __init__(self, allowed_dirs: Iterable[Path] = (FONT_DIR,)) -> None:
        # No protocol is allowed through urllib at all: fetch() never calls it.
        super().__init__(
            allowed_protocols=(), allow_redirects=False, fail_on_errors=True
        )
        self._allowed_dirs = tuple(Path(folder).resolve() for folder in allowed_dirs)
        #: Every refusal, in order. WeasyPrint swallows some fetch errors (an
        #: image inside an SVG is logged and left out), so the renderer checks
        #: this list afterwards instead of trusting the exception to arrive.
        self.refusals: list[ResourceRefused] = []

    def fetch(
        self, url: str, headers: dict[str, str] | None = None
    ) -> URLFetcherResponse:
        """Return the resource at url if it is allowed; raise ResourceRefused if not."""
        try:
            return self._fetch(url)
        except ResourceRefused as refusal:
            self.refusals.append(refusal)
            raise

    def _fetch(self, url: str) -> URLFetcherResponse:
        scheme, colon, _ = url.partition(":")
        scheme = scheme.lower() if colon else ""
        if scheme == "data":
            return self._fetch_data(url)
        if scheme == "file":
            return self._fetch_file(url)
        raise ResourceRefused(
            f"Certificates load only data: URIs and their own font files; "
            f"refused {url!r}."
        )

    def _fetch_data(self, url: str) -> URLFetcherResponse:
        header, comma, payload = url[len("data:") :].partition(",")
        if not comma:
            raise ResourceRefused("Malformed data: URI (no comma).")
        media_type, is_base64 = header, False
        if header.lower().endswith(";base64"):
            media_type, is_base64 = header[: -len(";base64")], True
        try:
            body = b64decode(payload, validate=True) if is_base64 else None
        except binascii.Error as error:
            raise ResourceRefused(f"Malformed base64 in data: URI: {error}.") from None
        if body is None:
            body = unquote_to_bytes(payload)
        return URLFetcherResponse(
            url, body, headers={"Content-Type": media_type or "text/plain"}
        )

    def _fetch_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ResourceRefused(
                f"Certificates load no files from other hosts: {url!r}."
            )
        # resolve() follows symlinks and "..", so the check is on the real file.
        path = Path(url2pathname(parts.path)).resolve()
        inside = any(path.is_relative_to(folder) for folder in self._allowed_dirs)
        if not inside or not path.is_file():
            raise ResourceRefused(
                f"Certificates load files only from "
                f"{', '.join(map(str, self._allowed_dirs))}; refused {url!r}."
            )
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )


@dataclass(frozen=True)
class CertificatePrint:
    """What one certificate certifies, as printed; validated on creation."""

    holder_name: str
    course_title: str
    hours: Decimal | float
    completed_on: date
    issuer_name: str
    code: str
    verify_url: str
    expires_on: date | None = None

    def __post_init__(self) -> None:
        for field in ("holder_name", "course_title", "issuer_name", "verify_url"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"A certificate needs a {field.replace('_', ' ')}.")
        if format_code(self.code) != self.code:
            raise ValueError(
                f"code must be formatted as XXXX-XXXX-XXXX, got {self.code!r}."
            )
        certified_hours(self.hours)  # raises for NaN, infinity, zero and less
        url = urlsplit(self.verify_url)
        if url.scheme not in ("https", "http") or not url.netloc:
            raise ValueError(
                f"verify_url must be an absolute http(s) URL, got {self.verify_url!r}."
            )
        if any(unicodedata.category(c)[0] in "CZ" for c in self.verify_url):
            raise ValueError(
                "verify_url must not contain spaces or control characters."
            )
        # Other text the fonts lack falls back to the server's fonts, or a box
        # that WeasyPrint logs; the name is what a certificate is for, so a
        # name they cannot draw is refused instead.
        if missing := unprintable_characters(self.holder_name):
            raise UnprintableName(missing)


@dataclass(frozen=True)
class CertificateDesign:
    """How a certificate looks; colours, sizes and images validated on creation."""

    title_text: str = DEFAULT_TITLE_TEXT
    body_text: str = DEFAULT_BODY_TEXT
    signatory_name: str = ""
    signatory_title: str = ""
    logo: bytes | None = None  # PNG
    signature_image: bytes | None = None  # PNG
    primary_color: str = "#1d5c63"
    accent_color: str = "#b07d00"
    page_size: Literal["A4", "Letter"] = "A4"
    orientation: Literal["landscape", "portrait"] = "landscape"

    def __post_init__(self) -> None:
        # The colours are written into CSS, so anything but a hex colour could
        # end the rule and restyle (or hide) the whole certificate.
        for field in ("primary_color", "accent_color"):
            value = getattr(self, field)
            if not isinstance(value, str) or not _COLOUR.fullmatch(value):
                raise ValueError(
                    f"{field} must be a hex colour like #1d5c63 or #1d5, got {value!r}."
                )
        if self.page_size not in PAGE_SIZES:
            raise ValueError(
                f"page_size must be one of {', '.join(PAGE_SIZES)}, "
                f"got {self.page_size!r}."
            )
        if self.orientation not in ORIENTATIONS:
            raise ValueError(
                f"orientation must be one of {', '.join(ORIENTATIONS)}, "
                f"got {self.orientation!r}."
            )
        for field in ("logo", "signature_image"):
            image = getattr(self, field)
            if image is not None and not bytes(image).startswith(_PNG_SIGNATURE):
                raise ValueError(f"{field} must be a PNG image.")


def unprintable_characters(text: str) -> str:
    """Return the characters of text that no shipped font draws, each once.

    A character counts as printable when the fonts have it in every weight
    (a name is printed bold, and again in the body text). Invisible format
    characters (joiners, direction marks) are never drawn, so never counted.
    """
    printable = _printable_code_points()
    missing = (
        c for c in text if ord(c) not in printable and unicodedata.category(c) != "Cf"
    )
    return "".join(dict.fromkeys(missing))


@functools.cache
def _printable_code_points() -> frozenset[int]:
    by_weight: dict[int, set[int]] = {}
    for face in FONT_FACES:
        font = TTFont(FONT_DIR / face.filename, lazy=True)
        by_weight.setdefault(face.weight, set()).update(font.getBestCmap())
        font.close()
    return frozenset(set.intersection(*by_weight.values()))


def certificate_filename(code: str) -> str:
    """Return the neutral download name, certificate-XXXX-XXXX-XXXX.pdf.

    Raises certificates.codes.InvalidCode (a ValueError) for anything that is
    not a certificate code, so the name can never carry other text.
    """
    return f"certificate-{format_code(code)}.pdf"


def document_title(code: str) -> str:
    """Return the neutral PDF title: the word for certificate and the code only."""
    return gettext("Certificate %(code)s") % {"code": format_code(code)}


def render_certificate_html(print_: CertificatePrint, design: CertificateDesign) -> str:
    """Return the certificate as a self-contained HTML page for WeasyPrint.

    Every value from a learner or trainer is escaped, including inside the body
    text; the only resources it refers to are the shipped fonts and data: URIs.
    """
    return _render_html(print_, design, text_scale=_TEXT_SCALES[0])


def _render_html(
    print_: CertificatePrint, design: CertificateDesign, *, text_scale: float
) -> str:
    """Return the certificate's HTML with the content text scaled by text_scale."""
    hours = _format_hours(print_.hours)
    completed_on = formats.date_format(print_.completed_on, "DATE_FORMAT")
    body = _fill_body(
        str(design.body_text),
        {
            "name": print_.holder_name,
            "course": print_.course_title,
            "hours": hours,
            "date": completed_on,
            "issuer": print_.issuer_name,
        },
    )
    context = {
        "document_title": document_title(print_.code),
        "page_size": design.page_size,
        "orientation": design.orientation,
        "middle_height_mm": _middle_height_mm(design),
        "footer_height_mm": _FOOTER_MM,
        "root_font_pt": f"{_ROOT_FONT_PT * text_scale:.2f}",
        "primary_color": design.primary_color,
        "accent_color": design.accent_color,
        "font_faces": FONT_FACES,
        "font_families": _font_family_list(),
        "title_text": str(design.title_text),
        "title_dir": _direction(str(design.title_text)),
        "body": body,
        "body_dir": _direction(_PLACEHOLDER.sub("", str(design.body_text))),
        "holder_name": print_.holder_name,
        "holder_name_dir": _direction(print_.holder_name),
        "holder_name_size": _name_size(print_.holder_name),
        "course_title": print_.course_title,
        "course_title_dir": _direction(print_.course_title),
        "hours": hours,
        "completed_on": completed_on,
        "expires_on": (
            formats.date_format(print_.expires_on, "DATE_FORMAT")
            if print_.expires_on
            else ""
        ),
        "issuer_name": print_.issuer_name,
        "issuer_name_dir": _direction(print_.issuer_name),
        "signatory_name": design.signatory_name,
        "signatory_name_dir": _direction(design.signatory_name),
        "signatory_title": design.signatory_title,
        "signatory_title_dir": _direction(design.signatory_title),
        "logo_uri": _png_data_uri(design.logo),
        "signature_uri": _png_data_uri(design.signature_image),
        "code": print_.code,
        "verify_url": print_.verify_url,
        "qr_svg": qr_svg(print_.verify_url, css_class="qr"),
    }
    return render_to_string(TEMPLATE_NAME, context)


def render_certificate_pdf(
    print_: CertificatePrint,
    design: CertificateDesign,
    *,
    credential_json: bytes | None = None,
) -> bytes:
    """Return the certificate as a one-page PDF/A-3b document.

    The title metadata is only "Certificate XXXX-XXXX-XXXX"; no author,
    subject or keywords are written. When credential_json is given it is
    embedded byte for byte as credential.json (application/json,
    AFRelationship /Data). Text too long for the page is set smaller; raises
    CertificateDoesNotFit if even the smallest size needs a second page, and
    ResourceRefused if the page refers to anything but data: URIs and the
    shipped fonts.
    """
    fetcher = RestrictedURLFetcher()
    attachments = []
    if credential_json is not None:
        # PDF/A-3 asks each attachment to state how it relates to the document
        # (ISO 32000-2, 7.11.3); /Data: the credential is the data this page
        # presents. WeasyPrint writes the dates with a "Z", so give it UTC.
        now = datetime.now(UTC)
        attachments.append(
            Attachment(
                string=bytes(credential_json),
                name="credential.json",
                description="Open Badges 3.0 credential",
                relationship="Data",
                created=now,
                modified=now,
                url_fetcher=fetcher,
            )
        )
    title = document_title(print_.code)
    # The cached font configuration (Fontconfig and Pango objects) is not safe
    # to share between threads. One render at a time costs little: most of a
    # render is Python code that holds the GIL anyway.
    with _RENDER_LOCK:
        try:
            for text_scale in _TEXT_SCALES:
                html = _render_html(print_, design, text_scale=text_scale)
                document = HTML(
                    string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=fetcher
                ).render(font_config=_font_config(), **PDF_OPTIONS)
                if len(document.pages) == 1:
                    break
            else:
                raise CertificateDoesNotFit(
                    "The certificate's text does not fit on one page even in "
                    "small type; shorten the body text, course title or name."
                )
            # Set again here so no <meta> in the template can ever add the
            # holder's name or the course to the document information.
            metadata = document.metadata
            metadata.title = title
            metadata.authors = []
            metadata.description = None
            metadata.keywords = []
            metadata.custom = {}
            pdf = document.write_pdf(
                attachments=attachments, finisher=_finish, **PDF_OPTIONS
            )
        except FatalURLFetchingError as error:
            # WeasyPrint wraps fetch errors in a BaseException, once per level
            # of nesting (a URL inside an SVG inside a data: URI); hand callers
            # the plain ValueError that says which URL was refused.
            raise _refusal_in(error) from None
    if fetcher.refusals:
        raise fetcher.refusals[0]
    return pdf


_RENDER_LOCK = threading.Lock()


@functools.cache
def _font_config() -> FontConfiguration:
    # Building a FontConfiguration scans the system fonts; reusing one also
    # keeps the @font-face files it has already loaded (it skips a face whose
    # descriptors it has seen), so later renders read no font files at all.
    return FontConfiguration()


def _middle_height_mm(design: CertificateDesign) -> str:
    short, long = PAGE_SIZES[design.page_size]
    height = short if design.orientation == "landscape" else long
    return f"{height - _PAGE_FRAME_MM - _FOOTER_MM:.1f}"


def _refusal_in(error: BaseException) -> ResourceRefused:
    """Return the ResourceRefused at the root of a chain of fetch errors."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ResourceRefused):
            return seen
        seen = seen.__cause__ or seen.__context__
    return ResourceRefused(str(error))


def _finish(document: Any, pdf: pydyf.PDF) -> None:
    """Correct WeasyPrint's PDF before it is written (its ``finisher`` hook)."""
    _list_attachments_once(pdf)
    _right_to_left_glyph_text_in_drawn_order(pdf)


def _list_attachments_once(pdf: pydyf.PDF) -> None:
    """Leave each attachment once in the catalog's /AF array."""
    # WeasyPrint 70's PDF/A-3 step adds every file specification twice (once
    # from the EmbeddedFiles name tree, once from scanning objects); /AF is
    # meant to list each associated file once.
    associated = pdf.catalog.get("AF")
    if associated:
        unique = list(dict.fromkeys(associated))
        associated.clear()
        associated.extend(unique)


def _right_to_left_glyph_text_in_drawn_order(pdf: pydyf.PDF) -> None:
    """Map each glyph that stands for several right-to-left characters to them reversed.

    A PDF draws a right-to-left run from left to right, and text extractors
    (poppler's pdftotext; MuPDF, pdfminer and pypdf by their bug trackers)
    read the glyphs' text in that order, then reverse the run character by
    character. WeasyPrint
    maps a glyph standing for several characters (the lam-alef ligature, a
    letter with its vowel marks) to them in reading order, so "علاء" came back
    as "عالء"; written in drawn order here, they come back in reading order.
    """
    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream) and stream.stream[:1] == [_TO_UNICODE]:
            stream.stream[:] = [
                _glyph_text_in_drawn_order(line) for line in stream.stream
            ]


# The first line of the ToUnicode CMaps WeasyPrint writes, and one of their
# glyph-to-text lines: "<01d4> <0644 0627>" without the space in the text.
_TO_UNICODE = b"/CIDInit /ProcSet findresource begin"
_GLYPH_TEXT = re.compile(rb"<([0-9a-f]{4})> <((?:[0-9a-f]{4}){2,})>")


def _glyph_text_in_drawn_order(line: bytes) -> bytes:
    match = _GLYPH_TEXT.fullmatch(line)
    if match is None:
        return line
    text = bytes.fromhex(match[2].decode()).decode("utf-16-be")
    if unicodedata.bidirectional(text[0]) not in ("R", "AL"):
        return line
    return b"<%s> <%s>" % (match[1], text[::-1].encode("utf-16-be").hex().encode())


def _font_family_list() -> str:
    # Unquoted: a family name of plain words needs no quotes in CSS, and quotes
    # would be turned into entities by autoescaping inside <style>.
    families = dict.fromkeys(face.family for face in FONT_FACES)
    return ", ".join(families) + ", sans-serif"


def _fill_body(text: str, values: dict[str, str]) -> SafeString:
    """Return text with its placeholders filled, every part of it escaped."""
    # A fixed set of placeholders replaced by regex, never str.format(): format
    # would let a trainer write {name.__class__} and reach Python attributes.
    parts = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(format_html("<bdi>{}</bdi>", values[match[1]]))
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above


def _direction(text: str) -> Literal["ltr", "rtl"]:
    """Return the direction of text by its first strong character, as dir=auto does."""
    # WeasyPrint ignores dir="auto" and unicode-bidi: plaintext, so the HTML
    # rule is applied here and written out as an explicit dir="rtl" or "ltr".
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _name_size(name: str) -> Literal["large", "medium", "small"]:
    # A long name steps down in size so it still fits on one or two lines.
    length = len(name)
    if length <= 26:
        return "large"
    if length <= 44:
        return "medium"
    return "small"


def _format_hours(hours: Decimal | float) -> str:
    value = certified_hours(hours).normalize()
    places = max(0, -int(value.as_tuple().exponent))
    return formats.number_format(value, decimal_pos=places)


def _png_data_uri(data: bytes | None) -> str:
    if data is None:
        return ""
    return f"data:image/png;base64,{b64encode(bytes(data)).decode('ascii')}"
