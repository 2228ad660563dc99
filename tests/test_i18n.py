"""UI languages: every catalog complete with its plural rule, chosen by URL or browser, never by cookie."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from quiz.app import REPO_ROOT
from quiz.i18n import catalog_path, ui_languages


def _wanted_messages(tmp_path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(REPO_ROOT / "babel.cfg"),
                    "-k", "N_", "-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "-o", str(pot), str(REPO_ROOT)],
                   check=True, capture_output=True)
    with pot.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


def test_the_ui_languages_are_the_catalogs():
    assert {"nb", "nn", "en", "de"} <= set(ui_languages())


@pytest.mark.parametrize("language", ui_languages())
def test_every_catalog_is_complete_and_has_its_plural_rule(tmp_path, language):
    wanted = _wanted_messages(tmp_path)
    po = catalog_path(language)
    header = re.search(r'"Plural-Forms: (.*?)\\n"', po.read_text(encoding="utf-8"))
    assert header and header.group(1) == str(get_plural(language)), \
        f"{language}: Plural-Forms should be {get_plural(language)}"
    with po.open("rb") as f:
        catalog = read_po(f, locale=language)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    plurals = get_plural(language).num_plurals
    problems = []
    for msgid in sorted(wanted):
        message = translated.get(msgid)
        strings = () if message is None else (message.string if isinstance(message.string, tuple)
                                              else (message.string,))
        if message is None or not all(strings):
            problems.append(f"untranslated: {msgid[:60]}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {msgid[:60]}")
        elif isinstance(message.id, tuple) and len(strings) != plurals:
            problems.append(f"{len(strings)} plural forms, not {plurals}: {msgid[:60]}")
    assert not problems, f"{language} (run scripts/update_catalog.py, then translate): {problems}"


def test_bokmal_is_the_default(tiny_client):
    page = tiny_client.get("/").get_data(as_text=True)
    assert '<html lang="nb"' in page and "Start valgomaten" in page


@pytest.mark.parametrize("header, lang", [("en-GB,en;q=0.9", "en"), ("nn-NO,en;q=0.5", "nb"), ("de", "nb"),
                                          ("da, en;q=0.8", "en")])
def test_accept_language_chooses_among_the_quizs_languages(tiny_client, header, lang):
    # the tiny quiz declares no languages: its content language (nb) and English, as before
    response = tiny_client.get("/", headers={"Accept-Language": header})
    assert f'<html lang="{lang}"' in response.get_data(as_text=True)
    assert response.headers["Content-Language"] == lang
    assert "Accept-Language" in response.headers["Vary"]


def test_lang_in_the_url_wins_and_travels_with_links(tiny_client):
    page = tiny_client.get("/?lang=en", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert '<html lang="en"' in page and "Start the quiz" in page
    assert 'href="/quiz?lang=en"' in page
    assert "Set-Cookie" not in tiny_client.get("/?lang=en").headers


def test_language_switch_link(tiny_client):
    page = tiny_client.get("/methodology").get_data(as_text=True)
    assert 'href="/methodology?lang=en" lang="en" hreflang="en">English</a>' in page


@pytest.mark.parametrize("lang", ["xx", "de", "nn", ""])
def test_a_language_the_quiz_does_not_offer_is_a_400(tiny_client, lang):
    response = tiny_client.get(f"/?lang={lang}")
    assert response.status_code == 400
    assert "Velg ett av disse: nb, en." in response.get_data(as_text=True)


def test_statements_use_their_translation_and_say_when_there_is_none(tiny_client):
    page = tiny_client.get("/quiz?lang=en").get_data(as_text=True)
    assert '<span lang="en">Drug use should remain a criminal offence.</span>' in page
    assert '<span lang="nb">Det bør finnes brukerrom i alle byer.</span> <small class="untranslated">' in page


def test_english_result_page(tiny_client):
    page = tiny_client.get("/result?straff=2&lang=en").get_data(as_text=True)
    assert "Your result" in page and "Strongly agree" in page and "Organisation, not a party" in page
    assert "Betas uttalelse, lines 7–8" in page


def test_template_messages_are_translated_with_their_values_escaped(tiny_app):
    # Templates' _() and ngettext(): the catalog's text is markup, a value put into it is not
    # (an actor's name with markup in it must show as text), and ngettext picks the plural form.
    from flask import render_template_string

    with tiny_app.test_request_context("/?lang=nb"):
        tiny_app.preprocess_request()
        page = render_template_string(
            '{{ _("Confirmed by %(actor)s.", actor="<b>A&B</b>") }}|'
            '{{ ngettext("%(num)s statement", "%(num)s statements", 1) }}|'
            '{{ ngettext("%(num)s statement", "%(num)s statements", 3) }}|{{ _("Your result") }}')
    assert page == "Bekreftet av &lt;b&gt;A&amp;B&lt;/b&gt;.|1 påstand|3 påstander|Resultatet ditt"
