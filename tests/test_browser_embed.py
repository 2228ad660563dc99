"""In a real headless Chromium: a partner page on another origin embeds the quiz, it resizes,
a voter completes it inside the iframe, and a page that is not a partner cannot frame it."""

from __future__ import annotations

import pytest
from conftest import settings
from live_server import StaticSite, serve_app

from quiz import create_app
from quiz.storage import open_store


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("embed")
    (root / "partner").mkdir()
    (root / "stranger").mkdir()
    with StaticSite(root / "partner") as partner, StaticSite(root / "stranger") as stranger:
        (root / "partners.toml").write_text(
            # Two origins, as a newsroom with and without "www." has: the frame must post to the one framing it.
            f'[[partner]]\nid = "avisa"\nname = "Avisa"\norigins = ["https://www.avisa.example", "{partner.origin}"]\n')
        from conftest import write_tiny_quiz

        app = create_app(write_tiny_quiz(root / "quiz"),
                         settings(root, QUIZ_PARTNERS=str(root / "partners.toml")))
        open_store(app.config["DATABASE_URL"]).upgrade()
        with serve_app(app) as quiz_url:
            (partner.root / "article.html").write_text(
                # An icon of its own: the static test server would log a 404 for /favicon.ico
                "<!doctype html><html lang='nb'><head><title>Avisa</title><link rel='icon' href='data:,'></head><body>"
                "<h1>Avisas artikkel</h1><p>Ta valgomaten:</p>"
                f"<script src='{quiz_url}/static/embed.js' data-partner='avisa' data-height='300' async></script>"
                "<p>Slutt på artikkelen.</p></body></html>")
            (stranger.root / "article.html").write_text(
                "<!doctype html><html><head><title>Fremmed</title></head><body><h1>Fremmed side</h1>"
                f"<iframe id='stolen' src='{quiz_url}/?partner=avisa' style='width:100%;height:500px'></iframe>"
                "</body></html>")
            yield {"quiz": quiz_url, "partner": partner.origin, "stranger": stranger.origin, "app": app}


def frame_height(page) -> float:
    return page.locator("iframe[data-valgomat]").bounding_box()["height"]


def test_partner_page_embeds_resizes_and_completes_the_quiz(page, sites):
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    page.set_viewport_size({"width": 800, "height": 700})
    page.goto(f"{sites['partner']}/article.html")
    frame = page.frame_locator("iframe[data-valgomat]")
    assert frame.locator("h1").inner_text() == "Liten testvalgomat"
    page.wait_for_function("document.querySelector('iframe[data-valgomat]').style.height !== '300px'")
    start_height = frame_height(page)

    frame.locator("a.button").click()  # start the quiz: one statement per screen
    frame.locator("fieldset.statement").first.wait_for()
    for choice in ("2", "-1", "skip"):
        frame.locator(f"fieldset.statement:not([hidden]) label.choice-{choice}").click()
        page.wait_for_timeout(250)
    frame.locator("button[type=submit]").click()  # to the review step, which is taller
    frame.locator("input[name=share]").wait_for()
    page.wait_for_function(f"parseFloat(document.querySelector('iframe[data-valgomat]').style.height) > {start_height}")
    review_height = frame_height(page)
    content_height = frame.locator("html").evaluate("e => Math.ceil(e.getBoundingClientRect().height)")
    assert abs(review_height - content_height) <= 2  # the frame fits its content: no inner scrollbar
    frame.locator("input[name=share]").check()
    frame.locator("button[type=submit]").click()
    frame.locator("ol.ranking").wait_for()
    assert frame.locator("ol.ranking .actor-name").first.inner_text() == "Beta"
    for width in (360, 1200, 640):  # the reader turns the phone, resizes the window
        page.set_viewport_size({"width": width, "height": 700})
        page.wait_for_timeout(200)
    narrow_height = frame_height(page)
    assert abs(narrow_height - frame.locator("html").evaluate("e => Math.ceil(e.getBoundingClientRect().height)")) <= 2
    assert [m for m in console if m.startswith(("error", "warning", "pageerror"))] == []

    app = sites["app"]
    batches = list(app.extensions["quiz_recorder"].store.batches(app.extensions["quiz_content"].version, 3))
    assert [p for b in batches for p in b.partners] == ["avisa"]
    assert page.context.cookies() == []


def test_a_page_that_is_not_a_partner_cannot_frame_the_quiz(page, sites):
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(f"{sites['stranger']}/article.html")
    page.wait_for_timeout(500)
    stolen = page.frame_locator("#stolen")
    assert stolen.get_by_text("Liten testvalgomat").count() == 0  # Chromium shows its own error page
    assert any("frame-ancestors" in text for text in refused), refused
