"""Two UI languages: every message translated, chosen by URL or browser, never by cookie."""

from __future__ import annotations

import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from quiz.app import REPO_ROOT

PO = REPO_ROOT / "quiz" / "translations" / "nb" / "LC_MESSAGES" / "messages.po"


def test_every_ui_message_has_a_bokmal_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(REPO_ROOT / "babel.cfg"),
                    "-k", "N_", "-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "-o", str(pot), str(REPO_ROOT)],
                   check=True, capture_output=True)
    with pot.open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with PO.open("rb") as f:
        catalog = read_po(f, locale="nb")
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    missing = sorted(m for m in wanted if m not in translated or not all(
        translated[m].string if isinstance(translated[m].string, tuple) else (translated[m].string,))
        or translated[m].fuzzy)
    assert not missing, f"untranslated (run scripts/update_catalog.py, then translate): {missing}"


def test_bokmal_is_the_default(tiny_client):
    page = tiny_client.get("/").get_data(as_text=True)
    assert '<html lang="nb"' in page and "Start valgomaten" in page


@pytest.mark.parametrize("header, lang", [("en-GB,en;q=0.9", "en"), ("nn-NO,en;q=0.5", "nb"), ("de", "nb"),
                                          ("da, en;q=0.8", "en")])
def test_accept_language_chooses(tiny_client, header, lang):
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


def test_unknown_language_is_a_400(tiny_client):
    assert tiny_client.get("/?lang=xx").status_code == 400


def test_statements_use_their_translation_and_say_when_there_is_none(tiny_client):
    page = tiny_client.get("/quiz?lang=en").get_data(as_text=True)
    assert '<span lang="en">Drug use should remain a criminal offence.</span>' in page
    assert '<span lang="nb">Det bør finnes brukerrom i alle byer.</span> <small class="untranslated">' in page


def test_english_result_page(tiny_client):
    page = tiny_client.get("/result?straff=2&lang=en").get_data(as_text=True)
    assert "Your result" in page and "Strongly agree" in page and "Organisation, not a party" in page
    assert "Betas uttalelse, lines 7–8" in page
