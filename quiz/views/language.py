"""Which of the quiz's languages a request gets, and the language switch: never a cookie.

The rule is SecureDrop's locale selector, limited to the languages the quiz declares in
``quiz.toml``: ``?lang=`` if given (carried in every link once chosen; a language the quiz does
not offer is a 400), else the best of the browser's ``Accept-Language`` that the quiz offers,
else the quiz's default language.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from flask import Flask, abort, g, request, url_for

from quiz.i18n import current_language, gettext, language_name
from quiz.views import get_content, quiz_selected, served_quizzes, with_query

# Norwegian readers read both written standards: "no" (and a standard the quiz lacks) falls back
# to the other one before any foreign language.
NORWEGIAN = {"no": ("nb", "nn"), "nb": ("nb", "nn"), "nn": ("nn", "nb")}


def choose_language(offered: tuple[str, ...], default: str) -> str:
    """The request's language among ``offered``: ``?lang=``, then ``Accept-Language``, then ``default``."""
    asked = request.args.get("lang")
    if asked is not None:
        if asked not in offered:
            abort(400, description=gettext("This quiz is not available in the language “%(asked)s”. "
                                           "Choose one of: %(offered)s.", asked=asked, offered=", ".join(offered)))
        return asked
    for tag, _quality in request.accept_languages:  # best first
        primary = tag.split("-")[0].lower()
        for candidate in NORWEGIAN.get(primary, (primary,)):
            if candidate in offered:
                return candidate
    return default


def language_links(keep: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """(language, its name, URL of this page in it) for each other language of the quiz.

    The links keep only the query parameters named in ``keep``, the ones the page shows (the
    answers on the quiz page, the highlight on a source): anything else in the URL is not this
    page's to pass on, and a part kept for every reader (``kept_html``) must never carry one
    reader's query. Parameters are encoded here, never passed to ``url_for`` as keywords
    (``endpoint=``, ``_external=``...).
    """
    front = "pages.index" if quiz_selected() else "listing.index"
    endpoint = request.endpoint if request.endpoint and request.method in ("GET", "HEAD") else front
    query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k in keep])
    return [(language, language_name(language),
             with_query(url_for(endpoint, **(request.view_args or {}), lang=language), query))
            for language in g.get("offered_languages") or offered_languages()[0] if language != current_language()]


def offered_languages() -> tuple[tuple[str, ...], str]:
    """The languages a request may get, and the default: the quiz's; on a page of a site with several
    quizzes (their list), every quiz's language, and the first quiz's default."""
    if quiz_selected():
        info = get_content().info
        return info.languages, info.default_language
    infos = [content.info for content in served_quizzes().values()]
    return tuple(dict.fromkeys(lang for info in infos for lang in info.languages)), infos[0].default_language


def register(app: Flask) -> None:
    app.jinja_env.globals.update(language_links=language_links,
                                 current_language_in_url=lambda: getattr(g, "lang_in_url", False))

    def set_language() -> None:
        g.offered_languages, default = offered_languages()
        g.lang = default  # the language of the 400 page if ?lang= is not one of the quiz's
        g.lang = choose_language(g.offered_languages, default)
        g.lang_in_url = "lang" in request.args

    # First of all hooks, so that an error page from any other (a malformed body) has its language.
    # It reads only the query string and headers, never the body.
    app.before_request_funcs.setdefault(None, []).insert(0, set_language)

    @app.url_defaults
    def keep_language(endpoint: str, values: dict) -> None:
        if getattr(g, "lang_in_url", False) and endpoint not in ("static", "assets.serve"):
            values.setdefault("lang", g.lang)
