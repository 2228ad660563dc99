"""Embed mode: partner ids carried in URLs, framing headers per page kind, the help page."""

from __future__ import annotations

import re

import pytest
from conftest import settings
from page_text import text_of

from quiz import create_app
from quiz.app import REPO_ROOT
from quiz.partners import PartnerConfigError, load_partners
from quiz.storage import open_store

PARTNERS = """\
[[partner]]
id = "avisa"
name = "Avisa"
origins = ["http://127.0.0.1:8001", "http://localhost:8001"]
"""


@pytest.fixture
def app(tiny_dir, tmp_path):
    (tmp_path / "partners.toml").write_text(PARTNERS)
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_PARTNERS=str(tmp_path / "partners.toml")))
    open_store(app.config["DATABASE_URL"]).upgrade()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def test_embed_pages_may_be_framed_by_the_partner_only(client):
    response = client.get("/?partner=avisa")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors http://127.0.0.1:8001 http://localhost:8001" in csp
    assert "X-Frame-Options" not in response.headers


@pytest.mark.parametrize("url", ["/", "/quiz", "/methodology", "/privacy", "/embed", "/sources/alpha-program",
                                 "/sources/alpha-program?partner=avisa"])
def test_other_pages_refuse_framing(client, url):
    response = client.get(url)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_embed_mode_keeps_the_partner_in_links_and_drops_the_chrome(client):
    page = client.get("/?partner=avisa").get_data(as_text=True)
    assert 'href="/quiz?partner=avisa"' in page
    assert 'class="embedded"' in page and 'class="site-title"' not in page  # only the language switch
    assert 'data-parent-origins="http://127.0.0.1:8001 http://localhost:8001"' in page
    assert re.search(r'<script src="/assets/frame\.[0-9a-f]{12}\.js" defer></script>', page)
    assert re.search(r'href="/sources/alpha-program"[^>]*target="_blank" rel="noopener"', page)
    quiz = client.get("/quiz?partner=avisa").get_data(as_text=True)
    assert 'action="/review?partner=avisa"' in quiz
    review = client.get("/review?partner=avisa&straff=2").get_data(as_text=True)
    assert 'action="/answers?partner=avisa"' in review


def test_unknown_partner_is_a_friendly_400(client):
    response = client.get("/?partner=nope")
    assert response.status_code == 400
    assert "Ukjent partner" in text_of(response)


def test_the_partner_travels_to_the_result_and_the_record(app, client):
    page = client.get("/quiz?partner=avisa").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/answers?partner=avisa", data={"straff": "2", "token": token, "share": "y"},
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert "partner=avisa" in location
    result = client.get(location)
    assert result.status_code == 200
    assert "frame-ancestors http://127.0.0.1:8001" in result.headers["Content-Security-Policy"]
    batches = list(app.extensions["quiz_recorder"].store.batches(app.extensions["quiz_content"].version, 3))
    assert batches[0].partners == ["avisa"]


def test_help_page_shows_both_snippets(client):
    page = text_of(client.get("/embed"))
    assert '<script src="http://localhost/static/embed.js" data-partner="YOUR-PARTNER-ID" async></script>' in page
    assert '<iframe src="http://localhost/?partner=YOUR-PARTNER-ID"' in page
    assert '{"type": "valgomat:height", "height": 1234}' in page
    assert "avisa" in page


def test_embed_script_checks_the_origin(client):
    script = client.get("/static/embed.js")
    assert script.headers["Cache-Control"] == "public, max-age=300"  # partners link to it by name: five minutes
    assert script.status_code == 200 and "javascript" in script.mimetype
    body = script.get_data(as_text=True)
    assert "event.origin !== origin" in body and "event.source !== frame.contentWindow" in body


@pytest.mark.parametrize("text, fragment", [
    ('[[partner]]\nid = "A B"\nname = "x"\norigins = ["https://a.no"]\n', "'id'"),
    ('[[partner]]\nid = "a"\nname = "x"\norigins = ["https://a.no/path"]\n', "'origins'"),
    ('[[partner]]\nid = "a"\nname = "x"\norigins = []\n', "'origins'"),
    ('[[partner]]\nid = "a"\norigins = ["https://a.no"]\n', "'name'"),
    ("[[partner]\n", "partners.toml"),
])
def test_bad_partner_files_are_refused_with_the_entry_named(tmp_path, text, fragment):
    (tmp_path / "partners.toml").write_text(text)
    with pytest.raises(PartnerConfigError, match=re.escape(fragment)):
        load_partners(tmp_path / "partners.toml")


def test_every_data_option_of_the_embed_script_is_in_the_readme():
    script = (REPO_ROOT / "static" / "embed.js").read_text(encoding="utf-8")
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    options = {"data-" + re.sub(r"[A-Z]", lambda c: "-" + c.group().lower(), name)
               for name in re.findall(r"dataset\.(\w+)", script)}
    assert options >= {"data-partner", "data-lang", "data-title", "data-height"}
    assert [o for o in sorted(options) if f"| `{o}` |" not in readme] == []
