"""Thin views: parse the request, call the library, render."""

from flask import current_app, g, request

from quiz.model import Content
from quiz.quizzes import Quizzes


def served_quizzes() -> Quizzes:
    """Every quiz the app serves, loaded when it was created: ``{None: content}`` for one quiz at the root."""
    return current_app.extensions["quiz_contents"]


def several_quizzes() -> bool:
    """Whether the app serves a directory of quizzes, each under ``/<slug>/``."""
    return None not in served_quizzes()


def quiz_slug() -> str | None:
    """The slug of the quiz this request is about (from its path); None with one quiz, or on a page
    of the whole site (the list of quizzes, an unknown address)."""
    return g.get("quiz")


def quiz_selected() -> bool:
    """Whether this request is about one quiz, so that :func:`get_content` has an answer."""
    return quiz_slug() in served_quizzes()


def get_content() -> Content:
    """The content of the quiz this request is about (the only one, with one quiz), loaded when the app was created."""
    return served_quizzes()[quiz_slug()]


def api_request() -> bool:
    """Whether the request is for the JSON API (``/api/…``, or ``/<slug>/api/…`` with several quizzes)."""
    segments = request.path.split("/", 3)
    return segments[1] == "api" or (len(segments) > 2 and segments[2] == "api" and several_quizzes())


def origin() -> str:
    """This request's scheme and host, as in ``https://example.org``: the start of an absolute link.

    The host is as the client sent it (punycode stays punycode), so it is never kept between requests.
    """
    return f"{request.scheme}://{request.host}"


def with_query(url: str, query: str) -> str:
    """``url`` (which may carry the language and partner already) with ``query`` (encoded) added."""
    return f"{url}{'&' if '?' in url else '?'}{query}" if query else url
