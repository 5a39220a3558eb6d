"""Members' words are shown as text; only links to sites a trainer allowed are links."""

import pytest

from peers.models import Circle
from peers.templatetags.peers_tags import circle_text, render_circle_text

NOT_OPENED = "(link switched off: a trainer has not allowed this site)"


def test_html_is_shown_as_text_never_run():
    html = render_circle_text('<script>alert("hi")</script> & <b>bold</b>', [])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;" in html
    assert "&amp; &lt;b&gt;bold&lt;/b&gt;" in html


def test_paragraphs_and_line_breaks_are_kept():
    html = render_circle_text("First line\nsecond line\n\nNew paragraph", [])
    assert html == "<p>First line<br>second line</p><p>New paragraph</p>"


def test_a_link_to_an_allowed_site_is_a_link_that_tells_it_nothing():
    html = render_circle_text("See https://example.org/help now", ["example.org"])
    assert (
        '<a href="https://example.org/help" rel="nofollow noopener noreferrer">'
        "<bdi>https://example.org/help</bdi></a>" in html
    )
    assert NOT_OPENED not in html


def test_a_part_of_an_allowed_site_is_allowed():
    html = render_circle_text("https://help.example.org/a", ["example.org"])
    assert '<a href="https://help.example.org/a"' in html


def test_a_bare_www_address_on_an_allowed_site_is_linked_over_https():
    html = render_circle_text("Try www.example.org/page.", ["example.org"])
    assert '<a href="https://www.example.org/page"' in html
    assert "</a>." in html


@pytest.mark.parametrize(
    "address",
    [
        "https://example.org.evil.com/",
        "https://evilexample.org/",
        "http://example.org@evil.com/",
        "https://evil.com/?https://example.org",
        "www.evil.com",
    ],
)
def test_an_address_on_any_other_site_is_plain_text_with_a_note(address):
    html = render_circle_text(f"Look: {address}", ["example.org"])
    assert "<a " not in html
    assert NOT_OPENED in html


def test_a_backslash_cannot_hide_another_host():
    # Browsers read "\" as "/", so the host here is evil.com.
    html = render_circle_text("http://evil.com\\@example.org/", ["example.org"])
    assert "<a " not in html


def test_javascript_and_other_schemes_are_never_links():
    html = render_circle_text(
        "javascript:alert(1) data:text/html,hi ftp://example.org", ["example.org"]
    )
    assert "<a " not in html
    assert "javascript:alert(1)" in html


def test_punctuation_after_an_address_is_not_part_of_it():
    html = render_circle_text(
        "Read it (https://example.org/a), then https://example.org/b! Done.",
        ["example.org"],
    )
    assert '<a href="https://example.org/a"' in html
    assert "</a>), then" in html
    assert '<a href="https://example.org/b"' in html
    assert "</a>! Done." in html


def test_a_bracket_the_address_opened_stays_in_it():
    html = render_circle_text("https://example.org/wiki/Tea_(drink)", ["example.org"])
    assert '<a href="https://example.org/wiki/Tea_(drink)"' in html


def test_quotes_cannot_break_out_of_the_link():
    html = render_circle_text('https://example.org/"onmouseover="x', ["example.org"])
    assert 'href="https://example.org/"' in html
    assert "onmouseover=&quot;x" in html


def test_the_filter_allows_the_circles_sites_and_this_site(settings):
    settings.SITE_URL = "https://circles.example"
    circle = Circle(allowed_hosts="https://www.Example.org/\nhelp.test")
    html = circle_text(
        "https://example.org/ https://circles.example/learn/ https://other.test/",
        circle,
    )
    assert '<a href="https://example.org/"' in html
    assert '<a href="https://circles.example/learn/"' in html
    assert "https://other.test/</bdi> <span" in html


def test_a_www_address_with_another_address_inside_is_still_its_own_site():
    html = render_circle_text(
        "See www.example.org/?next=https://x.test", ["example.org"]
    )
    assert 'href="https://www.example.org/?next=https://x.test"' in html
