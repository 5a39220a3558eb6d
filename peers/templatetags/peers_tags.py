"""What members write, shown as their words: text, with links only to allowed sites.

`{{ post.text|circle_text:circle }}` escapes everything, keeps paragraphs and
line breaks, and looks for web addresses (http, https, or a bare www.). An
address whose host is one of the circle's allowed sites, a part of one
(news.example.org for example.org), or this site itself becomes a link that
tells the other site nothing; any other address stays plain text with a quiet
note, so nobody is sent to, or loads anything from, a site no trainer chose.
Nothing but http and https is ever a link.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from peers.models import Acknowledgement

register = template.Library()

# Characters that end an address: spaces, quotes, angle brackets, a backslash
# (browsers read it as "/", which would move the host), and the invisible
# direction marks that can make an address read as another one.
_NOT_IN_ADDRESS = r"\s<>\"'`\\\u200b-\u200f\u202a-\u202e\u2066-\u2069"
_ADDRESS = re.compile(
    rf"(?:(?<![\w.@/-])https?://|(?<![\w.@/:-])www\.)[^{_NOT_IN_ADDRESS}]+",
    re.IGNORECASE,
)
# Punctuation after an address belongs to the sentence, not to the address.
_TRAILING = ".,:;!?*'\"”’»)]}"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def _split_trailing(address: str) -> tuple[str, str]:
    """The address without the sentence's punctuation after it, and that punctuation."""
    end = len(address)
    while end:
        last = address[end - 1]
        if last not in _TRAILING:
            break
        opening = _PAIRS.get(last)
        kept = address[:end]
        if opening and kept.count(opening) >= kept.count(last):
            break  # a bracket the address opened itself, as in a wiki address
        end -= 1
    return address[:end], address[end:]


def _href(address: str) -> str:
    """The address to follow: a bare "www." address is taken to be https."""
    if address.lower().startswith(("http://", "https://")):
        return address
    return "https://" + address


def host_allowed(address: str, hosts) -> bool:
    """Whether the address is http(s) on one of the hosts or a part of one."""
    href = _href(address)
    try:
        parts = urlsplit(href)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or "@" in parts.netloc:
        return False
    if not host:
        return False
    return any(host == allowed or host.endswith("." + allowed) for allowed in hosts)


def _address_html(address: str, hosts) -> str:
    if host_allowed(address, hosts):
        return format_html(
            '<a href="{}" rel="nofollow noopener noreferrer"><bdi>{}</bdi></a>',
            _href(address),
            address,
        )
    return format_html(
        '<bdi>{}</bdi> <span class="circle-link-note">{}</span>',
        address,
        gettext("(link switched off: a trainer has not allowed this site)"),
    )


def _line_html(line: str, hosts) -> str:
    parts = []
    position = 0
    for found in _ADDRESS.finditer(line):
        address, after = _split_trailing(found.group())
        parts.append(escape(line[position : found.start()]))
        if address.lower() in ("http://", "https://", "www."):
            parts.append(escape(address))
        else:
            parts.append(_address_html(address, hosts))
        parts.append(escape(after))
        position = found.end()
    parts.append(escape(line[position:]))
    return "".join(parts)


def render_circle_text(text: str, hosts) -> SafeString:
    """The text as escaped paragraphs; addresses on `hosts` linked, others plain."""
    hosts = [h.split(":")[0].rstrip(".").lower() for h in hosts if h]
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]
    html = "".join(
        "<p>" + "<br>".join(_line_html(line, hosts) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
    return mark_safe(html)  # noqa: S308 - every piece of the text was escaped above


def site_host() -> str:
    return (urlsplit(settings.SITE_URL).hostname or "").lower()


@register.filter
def circle_text(text: str, circle) -> SafeString:
    """Show a post or reply: `{{ post.text|circle_text:circle }}`."""
    hosts = [*circle.host_list(), site_host()] if circle is not None else [site_host()]
    return render_circle_text(text, hosts)


@dataclass(frozen=True)
class AcknowledgementRow:
    kind: str
    label: str
    names: str
    mine: bool


@register.simple_tag
def acknowledgement_rows(view) -> list[AcknowledgementRow]:
    """Each response a post can get, with the circle names who gave it: no counts."""
    separator = pgettext("between names in a list", ", ")
    return [
        AcknowledgementRow(
            kind=kind,
            label=str(label),
            names=separator.join(view.acknowledged_by.get(kind, [])),
            mine=kind in view.mine,
        )
        for kind, label in Acknowledgement.Kind.choices
    ]
