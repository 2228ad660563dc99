"""Two UI languages: Norwegian bokmål (default) and English, with no cookie.

Messages are written in English in the code and templates (``_("…")``) and translated to
bokmål in ``quiz/translations/nb/LC_MESSAGES/messages.po``, a standard gettext catalog that
Babel's tools extract and update. The catalog is compiled in memory when the app starts, so a
fresh install needs no build step. The language comes from ``?lang=nb|en`` (carried in every
link once chosen), else from the browser's ``Accept-Language``, else bokmål.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import Flask, abort, g, has_request_context, request, url_for

LANGUAGES = ("nb", "en")
DEFAULT = "nb"
CATALOG_DIR = Path(__file__).parent / "translations"
# Accept-Language codes that mean bokmål to us (nynorsk readers understand bokmål best of the two).
NORWEGIAN = ("nb", "no", "nn")


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; it is translated where it is shown."""
    return message


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog for ``language`` (English is the source language: no catalog)."""
    po = CATALOG_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == "en" or not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def current_language() -> str:
    return getattr(g, "lang", DEFAULT) if has_request_context() else DEFAULT


def gettext(message: str, **variables) -> str:
    text = translations(current_language()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables) -> str:
    text = translations(current_language()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


_ = gettext


def plural_form(n: int) -> int:
    """Which of the UI language's plural forms ``ngettext`` picks for ``n`` (English: 0 for one, 1 otherwise)."""
    plural = getattr(translations(current_language()), "plural", None)  # a compiled catalog has its rule
    return int(plural(n)) if plural else int(n != 1)


@dataclass(frozen=True)
class Localized:
    """A content text in the UI language if the content has it, else in the content's language."""

    text: str
    lang: str
    translated: bool


def localized(obj, field: str, content_language: str) -> Localized:
    """``obj.<field>_en`` on English pages when present; otherwise ``obj.<field>``, marked untranslated."""
    language = current_language()
    if language == content_language:
        return Localized(getattr(obj, field), content_language, True)
    english = getattr(obj, f"{field}_en", None) if language == "en" else None
    if english:
        return Localized(english, "en", True)
    return Localized(getattr(obj, field), content_language, False)


def choose_language() -> str:
    """``?lang=`` if given (an unknown value is a 400), else the browser's preference."""
    asked = request.args.get("lang")
    if asked is not None:
        if asked not in LANGUAGES:
            abort(400, description=f"Unknown language {asked!r}: use nb or en.")
        return asked
    for tag, _quality in request.accept_languages:  # best first
        primary = tag.split("-")[0].lower()
        if primary in NORWEGIAN:
            return "nb"
        if primary == "en":
            return "en"
    return DEFAULT


def other_language() -> str:
    """The language the language switch link offers."""
    return "en" if current_language() == "nb" else "nb"


def other_language_url(keep: Iterable[str] = ()) -> tuple[str, str]:
    """(language, URL of this page in it) for the language switch link.

    The link keeps only the query parameters named in ``keep``, the ones the page shows (the
    answers on the quiz page, the highlight on a source): a page kept in the page cache is shared
    between readers, so one reader's query must never reach another's link. Parameters are
    encoded here, never passed to ``url_for`` as keywords (``endpoint=``, ``_external=``...).
    """
    from quiz.views import with_query

    other = other_language()
    endpoint = request.endpoint if request.endpoint and request.method in ("GET", "HEAD") else "pages.index"
    url = url_for(endpoint, **(request.view_args or {}), lang=other)
    return other, with_query(url, urlencode([(k, v) for k, v in request.args.items(multi=True) if k in keep]))


def register(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.i18n")
    # Jinja's "newstyle" gettext formats the variables itself: give it the bare lookups.
    app.jinja_env.install_gettext_callables(
        lambda message: translations(current_language()).gettext(message),
        lambda singular, plural, n: translations(current_language()).ngettext(singular, plural, n),
        newstyle=True)
    app.jinja_env.globals.update(current_language=current_language, other_language_url=other_language_url,
                                 current_language_in_url=lambda: getattr(g, "lang_in_url", False))

    @app.before_request
    def set_language() -> None:
        g.lang = choose_language()
        g.lang_in_url = "lang" in request.args

    @app.url_defaults
    def keep_language(endpoint: str, values: dict) -> None:
        if getattr(g, "lang_in_url", False) and endpoint not in ("static", "assets.serve"):
            values.setdefault("lang", g.lang)
