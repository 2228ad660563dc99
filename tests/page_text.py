"""Reading what a voter sees on a page: its text, the quotes shown, the highlighted passage."""

from __future__ import annotations

import html
import re

QUOTE = re.compile(r'<blockquote class="quote"[^>]*>\s*<p>«(.*?)»</p>\s*<footer[^>]*>.*?'
                   r'<a href="([^"]+)"[^>]*>([^<]+)</a>', re.S)
MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def quotes_on(page: str) -> list[tuple[str, str, str]]:
    """(quote, link to the source, citation) for every quote shown on ``page``."""
    return QUOTE.findall(page)


def marked_passage(page: str) -> str:
    """The highlighted text of a source page, whitespace normalised."""
    return " ".join(" ".join(MARK.findall(page)).split())
