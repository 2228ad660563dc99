"""A quiz in the languages it declares: negotiation, nynorsk and German pages, a German-only quiz,
background per statement, and the publisher's own texts."""

from __future__ import annotations

import pytest
from conftest import settings, write_tiny_quiz
from test_qualomat import MINI, run, set_languages

from quiz import create_app
from quiz.loading import ContentError, load_content
from quiz.richtext import render_markdown

ABOUT = """Laga av *Testredaksjonen* for [lesarane våre](https://example.org/om).

- Ingen skript <script>alert(2)</script>
- **Opne** kjelder
"""


def multilingual_quiz(root, extra: str = ""):
    """The tiny quiz served in bokmål, nynorsk, English and German, with some texts translated."""
    write_tiny_quiz(root)
    quiz = root / "quiz.toml"
    quiz.write_text(quiz.read_text(encoding="utf-8") + 'languages = ["nb", "nn", "en", "de"]\n'
                    'default_language = "nb"\ntitle_nn = "Liten testvalomat"\ntitle_de = "Kleines Testquiz"\n'
                    + extra, encoding="utf-8")
    statements = root / "questions" / "statements.toml"
    text = statements.read_text(encoding="utf-8")
    text = text.replace('text_en = "Drug use should remain a criminal offence."\n',
                        'text_en = "Drug use should remain a criminal offence."\n'
                        'text_nn = "Bruk av narkotika bør framleis vere straffbart."\n'
                        'text_de = "Drogenkonsum soll strafbar bleiben."\n'
                        'background = "I dag er bruk og besittelse straffbart."\n'
                        'background_nn = "I dag er bruk og innehav straffbart."\n')
    statements.write_text(text.replace('name = "Straff"\n', 'name = "Straff"\nname_de = "Strafe"\n'),
                          encoding="utf-8")
    return root


@pytest.fixture
def client(tmp_path):
    return create_app(multilingual_quiz(tmp_path / "quiz"), settings(tmp_path)).test_client()


@pytest.mark.parametrize("query, header, lang", [
    ("?lang=nn", "en", "nn"),
    ("?lang=de", "nb", "de"),
    ("", "nn-NO,nb;q=0.8,en;q=0.5", "nn"),
    ("", "no", "nb"),
    ("", "de-AT,de;q=0.9", "de"),
    ("", "sv,fr;q=0.9", "nb"),  # none offered: the quiz's default
    ("", "fr,en;q=0.5", "en"),
    ("", "", "nb"),
])
def test_the_language_is_the_url_then_the_browser_then_the_default(client, query, header, lang):
    response = client.get(f"/{query}", headers={"Accept-Language": header} if header else {})
    assert response.status_code == 200
    assert f'<html lang="{lang}"' in response.get_data(as_text=True)
    assert response.headers["Content-Language"] == lang and "Set-Cookie" not in response.headers


def test_the_language_switch_offers_the_quizs_other_languages(client):
    page = client.get("/methodology?lang=nn").get_data(as_text=True)
    assert 'href="/methodology?lang=nb" lang="nb" hreflang="nb">Norsk bokmål</a>' in page
    assert 'href="/methodology?lang=en" lang="en" hreflang="en">English</a>' in page
    assert 'href="/methodology?lang=de" lang="de" hreflang="de">Deutsch</a>' in page
    assert 'hreflang="nn"' not in page


def test_the_switch_on_a_result_page_keeps_the_answers(client):
    page = client.get("/result?straff=2&brukerrom=-1&lang=de").get_data(as_text=True)
    assert 'href="/result?lang=nn&amp;straff=2&amp;brukerrom=-1"' in page  # the answers as the voter sent them
    assert "Ihr Ergebnis" in page


def test_a_nynorsk_page(client):
    page = client.get("/quiz?lang=nn").get_data(as_text=True)
    assert "Kva meiner du?" in page and "Heilt einig" in page and "Sjå over svara" in page
    assert '<span lang="nn">Bruk av narkotika bør framleis vere straffbart.</span>' in page
    assert ('<span lang="nb">Det bør finnes brukerrom i alle byer.</span> '
            '<small class="untranslated">(ikkje omsett)</small>') in page
    start = client.get("/?lang=nn").get_data(as_text=True)
    assert '<h1><span lang="nn">Liten testvalomat</span></h1>' in start and "Start valomaten" in start


def test_a_german_page(client):
    page = client.get("/quiz?lang=de").get_data(as_text=True)
    assert "Was denken Sie?" in page and "Stimme voll zu" in page and "Überspringen" in page
    assert '<span lang="de">Drogenkonsum soll strafbar bleiben.</span>' in page
    assert '<span lang="de">Strafe</span>' in page
    assert '<small class="untranslated">(nicht übersetzt)</small>' in page
    result = client.get("/result?straff=2&lang=de").get_data(as_text=True)
    assert "Organisation, keine Partei" in result and "Betas uttalelse, Zeilen 7–8" in result


def test_background_is_shown_under_the_statement_without_javascript(client):
    page = " ".join(client.get("/quiz").get_data(as_text=True).split())  # whitespace as a reader sees it
    assert ('<details class="background"><summary>Hva betyr dette?</summary> '
            '<p><span lang="nb">I dag er bruk og besittelse straffbart.</span></p></details>') in page
    assert page.count('<details class="background">') == 1  # only the statement that has one
    nynorsk = client.get("/quiz?lang=nn").get_data(as_text=True)
    assert "<summary>Kva betyr dette?</summary>" in nynorsk
    assert '<span lang="nn">I dag er bruk og innehav straffbart.</span>' in nynorsk
    german = " ".join(client.get("/quiz?lang=de").get_data(as_text=True).split())
    assert ("<summary>Was bedeutet das?</summary> <p><span lang=\"nb\">I dag er bruk og besittelse "
            "straffbart.</span> <small class=\"untranslated\">(nicht übersetzt)</small>") in german


def test_background_and_languages_in_the_api(client):
    quiz = client.get("/api/v1/quiz").get_json()
    assert quiz["languages"] == ["nb", "nn", "en", "de"]
    first = quiz["statements"][0]
    assert first["background"] == "I dag er bruk og besittelse straffbart."
    assert first["translations"]["nn"] == {"text": "Bruk av narkotika bør framleis vere straffbart.",
                                           "background": "I dag er bruk og innehav straffbart."}
    assert first["translations"]["de"] == {"text": "Drogenkonsum soll strafbar bleiben."}
    assert quiz["statements"][1]["background"] is None and quiz["statements"][1]["translations"] == {}
    document = client.get("/api/v1/openapi.json").get_json()
    statement = document["paths"]["/api/v1/quiz"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"]["properties"]["statements"]["items"]["properties"]
    assert {"background", "translations"} <= set(statement)


def test_a_german_only_quiz(tmp_path):
    run("import", "qual-o-mat", MINI, "--out", tmp_path / "quiz")
    set_languages(tmp_path / "quiz", ["de"])
    client = create_app(tmp_path / "quiz", settings(tmp_path)).test_client()
    page = client.get("/", headers={"Accept-Language": "en-GB,nb;q=0.5"}).get_data(as_text=True)
    assert '<html lang="de"' in page and "Quiz starten" in page
    assert 'hreflang=' not in page and '<nav class="language"' not in page  # no other language to switch to
    quiz_page = client.get("/quiz").get_data(as_text=True)
    assert "nicht übersetzt" not in quiz_page and "Stimme zu" in quiz_page  # the imported quiz is 3-point
    for lang in ("en", "nb"):
        response = client.get(f"/?lang={lang}")
        assert response.status_code == 400
        assert "Dieses Quiz gibt es nicht in der Sprache „" in response.get_data(as_text=True)
    assert client.get("/?lang=de").status_code == 200


def test_about_and_methodology_are_the_publishers_when_given(tmp_path):
    extra = f'about = """{ABOUT}"""\nabout_nn = "Om *oss*, på nynorsk."\n' \
            'methodology = "Vi leste **alle** dokumentene to ganger."\n'
    client = create_app(multilingual_quiz(tmp_path / "quiz", extra), settings(tmp_path)).test_client()
    start = client.get("/?lang=nn").get_data(as_text=True)
    assert '<div class="publisher-text" lang="nn"><p>Om <em>oss</em>, på nynorsk.</p>\n</div>' in start
    assert "Slik fungerer det" not in start  # the generated text gives way
    bokmal = client.get("/").get_data(as_text=True)
    assert '<a href="https://example.org/om">lesarane våre</a>' in bokmal and "<em>Testredaksjonen</em>" in bokmal
    assert "<li>Ingen skript &lt;script&gt;alert(2)&lt;/script&gt;</li>" in bokmal
    assert "<strong>Opne</strong>" in bokmal and "<script>alert" not in bokmal
    english = client.get("/?lang=en").get_data(as_text=True)  # no about_en: the bokmål text, marked
    assert '<div class="publisher-text" lang="nb">' in english and "(not translated)" in english
    method = client.get("/methodology").get_data(as_text=True)
    assert "Slik ble valgomaten laget" in method and "Vi leste <strong>alle</strong> dokumentene" in method
    assert "Ingen aktør har fylt ut valgomaten selv" not in method
    assert "Hvordan regnes prosenten ut?" in method  # the scoring explanation is always ours


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "mailto:a@b.no",
                                  "/relative", "vbscript:x"])
def test_only_http_links_become_links(link):
    html = render_markdown(f"[klikk]({link}) og [ok](https://example.org/?a=1&b=2)")
    assert html.count("<a ") == 1 and '<a href="https://example.org/?a=1&amp;b=2">ok</a>' in html


def test_headings_images_and_raw_html_stay_text():
    html = render_markdown('# Tittel\n\n![bilde](https://example.org/x.png) <img src=x onerror=alert(1)>')
    assert "<h1>" not in html and "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_generated_texts_when_the_publisher_gives_none(client):
    assert "Slik fungerer det" in client.get("/").get_data(as_text=True)
    assert "Ingen aktør har fylt ut valgomaten selv" in client.get("/methodology").get_data(as_text=True)


@pytest.mark.parametrize("extra, message", [
    ('languages = ["nb", "xx"]\n', "quiz.toml: languages: no UI catalog for 'xx'"),
    ('languages = "nb"\n', "quiz.toml: languages: 'languages' must list language codes"),
    ('languages = ["nb"]\ndefault_language = "en"\n', "quiz.toml: default_language: 'en' is not one of"),
    ('about = "[x](javascript:alert(1))"\n', "quiz.toml: about: link to 'javascript:alert(1)' is not an http(s)"),
])
def test_wrong_language_settings_are_named(tmp_path, extra, message):
    root = write_tiny_quiz(tmp_path / "quiz")
    (root / "quiz.toml").write_text((root / "quiz.toml").read_text(encoding="utf-8") + extra, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_content(root)
    assert any(str(p).startswith(message) for p in error.value.problems), error.value.problems
