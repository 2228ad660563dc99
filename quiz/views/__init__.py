"""Thin views: parse the request, call the library, render."""

from flask import current_app, request

from quiz.model import Content


def get_content() -> Content:
    """The quiz content loaded when the app was created."""
    return current_app.extensions["quiz_content"]


def origin() -> str:
    """This request's scheme and host, as in ``https://example.org``: the start of an absolute link.

    The host is as the client sent it (punycode stays punycode), so it is never kept between requests.
    """
    return f"{request.scheme}://{request.host}"


def with_query(url: str, query: str) -> str:
    """``url`` (which may carry the language and partner already) with ``query`` (encoded) added."""
    return f"{url}{'&' if '?' in url else '?'}{query}" if query else url
