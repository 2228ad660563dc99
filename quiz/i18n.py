"""UI languages as gettext catalogs, and content texts in the page's language.

Messages are written in English in the code and templates (``_("…")``) and translated in
``quiz/translations/<language>/LC_MESSAGES/messages.po``, standard gettext catalogs that
Babel's tools extract and update. Every catalog there is a UI language: adding a language is
adding a catalog, no code. Catalogs are compiled in memory when first used, so a fresh install
needs no build step. Which language a request gets is decided in :mod:`quiz.views.language`
among the quiz's own languages.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import Flask, g, has_request_context
from markupsafe import Markup

from quiz.model import translation

CATALOG_DIR = Path(__file__).parent / "translations"
SOURCE_LANGUAGE = "en"  # the language of the msgids


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; it is translated where it is shown."""
    return message


def catalog_path(language: str) -> Path:
    return CATALOG_DIR / language / "LC_MESSAGES" / "messages.po"


@cache
def ui_languages() -> tuple[str, ...]:
    """Every language with a UI catalog in ``quiz/translations/``, sorted."""
    return tuple(sorted(p.parent.parent.name for p in CATALOG_DIR.glob("*/LC_MESSAGES/messages.po")))


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog for ``language`` (the msgids themselves if it has none)."""
    po = catalog_path(language)
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


@cache
def language_name(language: str) -> str:
    """The language's name in itself ("Norsk nynorsk", "Deutsch"), for the language switch."""
    try:
        name = Locale.parse(language).get_display_name(language) or language
    except (ValueError, LookupError):  # a tag Babel has no data for: its code is all we can show
        return language
    return name[:1].upper() + name[1:]


def current_language() -> str:
    """The request's UI language (set by :mod:`quiz.views.language`); the source language outside requests."""
    return getattr(g, "lang", SOURCE_LANGUAGE) if has_request_context() else SOURCE_LANGUAGE


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
    """``obj.<field>`` in the page's language: its ``<field>_<language>`` text where the content
    has one, else the text in the content's own language, marked as not translated."""
    language = current_language()
    original = getattr(obj, field)
    if language == content_language:
        return Localized(original or "", content_language, True)
    text = translation(obj, field, language)
    if text:
        return Localized(text, language, True)
    if not original:  # an optional text the content has in neither language: nothing to show
        return Localized("", language, True)
    return Localized(original, content_language, False)


def template_gettext(message: str, **variables) -> Markup:
    """``_()`` in templates: the translation is markup, the variables are escaped into it (what
    Jinja's i18n extension calls "newstyle" gettext, without its layers of context calls, which
    a result page with some fifty messages paid for on every view)."""
    return Markup(translations(current_language()).gettext(message)) % variables


def template_ngettext(singular: str, plural: str, num: int, **variables) -> Markup:
    """``ngettext()`` in templates, as :func:`template_gettext`; ``%(num)s`` is the count."""
    return Markup(translations(current_language()).ngettext(singular, plural, num)) % {"num": num, **variables}


def register(app: Flask) -> None:
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext,
                                 current_language=current_language, language_name=language_name)
