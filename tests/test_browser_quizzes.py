"""Several quizzes in one deployment, in a real headless Chromium: the list of quizzes and each
quiz's pages pass axe-core, a voter goes from the list through one quiz to its result, and a
partner page embeds the quiz its script names (``data-quiz``)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import settings
from live_server import StaticSite, serve_app

from quiz import create_app
from quiz.storage import open_store

LANGUAGES = {"valg": "nb", "wahl": "de"}


@pytest.fixture(scope="module")
def site(quiz_directory, tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-quizzes")
    (root / "partner").mkdir()
    with StaticSite(root / "partner") as partner:
        (root / "partners.toml").write_text(
            f'[[partner]]\nid = "avisa"\nname = "Avisa"\norigins = ["{partner.origin}"]\nquizzes = ["wahl"]\n')
        app = create_app(quiz_directory, settings(root, QUIZ_PARTNERS=str(root / "partners.toml")))
        open_store(app.config["DATABASE_URL"]).upgrade()
        with serve_app(app) as url:
            for slug in ("valg", "wahl"):
                (partner.root / f"{slug}.html").write_text(
                    "<!doctype html><html lang='de'><head><title>Avisa</title><link rel='icon' href='data:,'></head>"
                    f"<body><h1>Artikel</h1><script src='{url}/static/embed.js' data-quiz='{slug}' "
                    "data-partner='avisa' async></script></body></html>")
            yield {"url": url, "app": app, "partner": partner.origin}


def _pages(site, slug: str) -> dict[str, str]:
    content = site["app"].extensions["quiz_contents"][slug]
    answers = urlencode([(s.id, str(content.scale[i % len(content.scale)])) for i, s in enumerate(content.statements)])
    return {"start": f"/{slug}/", "quiz": f"/{slug}/quiz", "review": f"/{slug}/review?{answers}",
            "result": f"/{slug}/result?{answers}", "source": f"/{slug}/sources/{content.sources[0].id}",
            "methodology": f"/{slug}/methodology", "privacy": f"/{slug}/privacy"}


def _axe(browser, url: str, lang: str, javascript: bool) -> None:
    context = browser.new_context(locale="nb-NO")
    if not javascript:
        context.route("**/*.js", lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto(url)
        assert page.evaluate("document.documentElement.lang") == lang
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("lang", ["nb", "de"])
def test_the_list_of_quizzes_is_accessible(browser, site, lang, javascript):
    _axe(browser, f"{site['url']}/?lang={lang}", lang, javascript)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("name", ["start", "quiz", "review", "result", "source", "methodology", "privacy"])
@pytest.mark.parametrize("slug", ["valg", "wahl"])
def test_each_quizs_pages_are_accessible(browser, site, slug, name, javascript):
    path = _pages(site, slug)[name]
    _axe(browser, f"{site['url']}{path}{'&' if '?' in path else '?'}lang={LANGUAGES[slug]}", LANGUAGES[slug],
         javascript)


def test_a_voter_goes_from_the_list_through_one_quiz_to_its_result(browser, site):
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(site["url"] + "/")
        # Each wait is set up before its click, so that a navigation that finishes at once is not missed.
        with page.expect_navigation(url=f"{site['url']}/wahl/", wait_until="domcontentloaded"):
            page.get_by_role("link", name="Wahl-O-Mat: Bundestagswahl 2021").click()
        with page.expect_navigation(url=f"{site['url']}/wahl/quiz", wait_until="domcontentloaded"):
            page.locator("a.button").click()  # start the quiz: one statement per screen
        for statement in page.locator("fieldset.statement").evaluate_all("all => all.map(s => s.dataset.statement)"):
            page.locator(f'fieldset[data-statement="{statement}"] label.choice-2').click()  # waits for its screen
        page.locator("button[type=submit]").first.click()
        page.wait_for_url("**/wahl/review?**", wait_until="domcontentloaded")
        page.locator("button[type=submit]").first.click()
        page.wait_for_url("**/wahl/result?**", wait_until="domcontentloaded")
        page.locator("ol.ranking").wait_for()
        assert page.locator("ol.ranking li").count() == 6
        assert "Tempolimit" in page.content() and "straffbart" not in page.content()
        foreign = [u for u in requested if not u.startswith(site["url"] + "/") and not u.startswith("data:")]
        assert not foreign, foreign
    finally:
        context.close()


def test_a_partner_page_embeds_the_quiz_its_script_names(page, site):
    page.goto(f"{site['partner']}/wahl.html")
    frame = page.frame_locator("iframe[data-valgomat]")
    assert frame.locator("h1").inner_text() == "Wahl-O-Mat: Bundestagswahl 2021"
    assert page.locator("iframe[data-valgomat]").get_attribute("src").startswith(f"{site['url']}/wahl/?partner=avisa")
    frame.locator("a.button").click()
    frame.locator("fieldset.statement").first.wait_for()
    assert "/wahl/quiz" in page.frames[1].url
    # The partner may embed only "wahl": the other quiz answers its frame with a page nobody may frame.
    with page.expect_response(lambda response: response.url.startswith(f"{site['url']}/valg/")) as refused:
        page.goto(f"{site['partner']}/valg.html")
    assert refused.value.status == 403
    assert "frame-ancestors 'none'" in refused.value.headers["content-security-policy"]
