"""The publisher's own texts (about, methodology): a safe Markdown subset, never raw HTML.

Paragraphs, emphasis (``*a*``, ``**b**``), lists and links to ``http(s)`` addresses; anything
else is shown as the text it is. markdown-it-py (CommonMark) parses it with HTML disabled and
only these rules enabled: a parser of our own would have to get nesting, escaping and link
syntax right on its own, and this one is maintained and tested against the CommonMark spec.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup

RULES = ["emphasis", "link", "list", "paragraph", "newline", "escape", "backticks"]
LINK_SCHEMES = ("http://", "https://")


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(RULES)
    parser.validateLink = lambda url: url.strip().lower().startswith(LINK_SCHEMES)
    return parser


def render_markdown(text: str) -> Markup:
    """``text`` as HTML: the subset above, every other character escaped."""
    return Markup(_parser().render(text))


def links_refused(text: str) -> list[str]:
    """The link targets in ``text`` that are not http(s), so not made links (for ``quiz validate``)."""
    parser = MarkdownIt("zero").enable(RULES)  # the same syntax, but every link kept, to find them
    parser.validateLink = lambda url: True
    targets = []
    for token in parser.parse(text):
        for child in token.children or ():
            href = child.attrGet("href") if child.type == "link_open" else None
            if href is not None and not str(href).strip().lower().startswith(LINK_SCHEMES):
                targets.append(str(href))
    return targets
