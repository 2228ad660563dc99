"""Every voter page in a real headless Chromium: accessibility (axe-core), keyboard only, small
screens, no request to any other origin, and the weight budget of the quiz page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import settings
from live_server import serve_app
from test_qualomat import MINI, run, set_languages

from quiz import create_app
from quiz.app import REPO_ROOT
from quiz.coding_review import PATH, Invitation, ReviewLinks
from quiz.loading import load_content
from quiz.storage import open_store

ARTIFACTS = REPO_ROOT / "test-artifacts" / "screenshots"
BUDGET_BYTES = 30 * 1024


def _pages(app, source: str) -> dict[str, str]:
    content = app.extensions["quiz_content"]
    answers = urlencode([(s.id, str((i % 5) - 2)) for i, s in enumerate(content.statements)]
                        + [("important", content.statements[0].id)])
    invitation = Invitation(content.actors[0].id, content.version, 14)
    return {"start": "/", "quiz": "/quiz", "review": f"/review?{answers}", "result": f"/result?{answers}",
            "source": f"/sources/{source}?hl=100-300", "methodology": "/methodology", "privacy": "/privacy",
            "coding-review": PATH + ReviewLinks(app.config["SECRET_KEY"]).issue(invitation)}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    app = create_app(REPO_ROOT, settings(root))
    open_store(app.config["DATABASE_URL"]).upgrade()
    with serve_app(app) as url:
        yield {"url": url, "pages": _pages(app, "ap-rusreform")}


@pytest.fixture(scope="module")
def german_site(tmp_path_factory):
    """A German quiz (the open Wahl-O-Mat sample, imported), served in German only."""
    root = tmp_path_factory.mktemp("german")
    run("import", "qual-o-mat", MINI, "--out", root / "quiz")
    set_languages(root / "quiz", ["de"])
    app = create_app(root / "quiz", settings(root))
    open_store(app.config["DATABASE_URL"]).upgrade()
    with serve_app(app) as url:
        yield {"url": url, "pages": _pages(app, app.extensions["quiz_content"].sources[0].id)}


def _open(browser, site, name, lang, javascript, width=1280):
    """A page as a voter sees it; without JavaScript = with the app's scripts blocked, so that
    the page is what a no-JS browser shows while axe-core (injected by the test) can still run."""
    context = browser.new_context(locale="nb-NO", viewport={"width": width, "height": 900})
    if not javascript:
        context.route("**/*.js", lambda route: route.abort())
    page = context.new_page()
    path = site["pages"][name]
    page.goto(site["url"] + path + ("&" if "?" in path else "?") + f"lang={lang}")
    return context, page


BUNDLED_LANGUAGES = load_content(REPO_ROOT).info.languages  # every UI language the bundled quiz is served in
PAGES = ["start", "quiz", "review", "result", "source", "methodology", "privacy", "coding-review"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("lang", BUNDLED_LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_no_accessibility_violations(browser, site, name, lang, javascript):
    _check_accessibility(browser, site, name, lang, javascript)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("name", PAGES)
def test_no_accessibility_violations_in_a_german_quiz(browser, german_site, name, javascript):
    _check_accessibility(browser, german_site, name, "de", javascript)


def _check_accessibility(browser, site, name, lang, javascript):
    context, page = _open(browser, site, name, lang, javascript)
    try:
        assert page.evaluate("document.documentElement.lang") == lang
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_nothing_scrolls_sideways_and_screenshots(browser, site, name, width):
    context, page = _open(browser, site, name, "nb", True, width)
    try:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
            page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    finally:
        context.close()


def test_keyboard_only_run_completes_the_quiz(browser, site):
    context, page = _open(browser, site, "quiz", "nb", True)
    try:
        steps = page.locator("fieldset.statement").count()
        for i in range(steps):
            page.keyboard.press(str(1 + i % 5) if i % 7 else "s")
            if i == 2:
                page.keyboard.press("v")  # this one matters more
            if i < steps - 1:
                page.keyboard.press("ArrowRight")
        assert page.locator("fieldset.statement:not([hidden])").get_attribute("data-statement") == \
            page.locator("fieldset.statement").last.get_attribute("data-statement")
        _tab_to(page, "button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_url("**/review?**")
        _tab_to(page, "button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_url("**/result?**")
        assert page.locator("ol.ranking li").count() == 5
        assert "important=" in page.url
    finally:
        context.close()


def _tab_to(page, selector: str, limit: int = 400) -> None:
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"could not reach {selector} with Tab")


@pytest.mark.parametrize("name", ["start", "quiz", "review", "result", "source"])
def test_every_request_goes_to_the_apps_own_origin(browser, site, name):
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(site["url"] + site["pages"][name])
        page.wait_for_load_state("networkidle")
        foreign = [u for u in requested if not u.startswith(site["url"] + "/") and not u.startswith("data:")]
        assert requested and not foreign, foreign
    finally:
        context.close()


def test_quiz_page_weight_budget(browser, site):
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    transferred = {}
    page.on("requestfinished", lambda request: transferred.__setitem__(
        request.url, request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]))
    try:
        page.goto(site["url"] + "/quiz")
        page.wait_for_load_state("networkidle")
        total = sum(transferred.values())
        assert any(u.endswith(".css") for u in transferred) and any(u.endswith(".js") for u in transferred)
        assert total < BUDGET_BYTES, transferred
        Path(ARTIFACTS.parent).mkdir(parents=True, exist_ok=True)
        (ARTIFACTS.parent / "quiz-page-weight.txt").write_text(f"{total} bytes transferred\n{transferred}\n")
    finally:
        context.close()
