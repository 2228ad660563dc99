"""Each actor checks its coding: signed links, one submission, the editor's status, the display."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from click.testing import CliRunner
from conftest import settings
from werkzeug.datastructures import MultiDict

from quiz import create_app
from quiz.cli import main
from quiz.coding_review import PATH, Invitation, ReviewLinks
from quiz.storage import CodingAnswer, CodingReview, open_store


def link(app, actor: str = "alpha", days: int = 14, secret: str = "test-secret") -> str:
    version = app.extensions["quiz_content"].version
    return PATH + ReviewLinks(secret).issue(Invitation(actor, version, days))


def answers(actor: str = "alpha", **overrides) -> dict:
    form = {"actor": actor, "verdict-straff": "confirmed", "comment-straff": "",
            "verdict-brukerrom": "disputed", "comment-brukerrom": "Vi vil ha brukerrom bare i store byer.",
            "verdict-ransaking": "confirmed", "comment-ransaking": "Riktig."}
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def upgraded(app):
    """``app`` with its response database set up, as `quiz db upgrade` does."""
    app.extensions["quiz_recorder"].store.upgrade()
    return app


@pytest.fixture
def review_app(tiny_dir, tmp_path, database_url):
    return upgraded(create_app(tiny_dir, settings(tmp_path, DATABASE_URL=database_url)))


def stored(app) -> list[CodingReview]:
    return app.extensions["quiz_recorder"].store.coding_reviews()


def test_the_page_shows_the_actors_coding_and_is_private(review_app):
    response = review_app.test_client().get(link(review_app))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Alfa" in page and "Bruk av narkotika bør fortsatt være straffbart." in page
    assert "Alfa vil ha hjelp i stedet for straff." in page  # the rationale
    assert "«Vi vil ha hjelp i stedet for straff for alle som bruker narkotika.»" in page  # the quote
    assert 'href="/sources/alpha-program?hl=' in page  # linked to its passage
    assert page.count("<fieldset") == 3 and page.count("<legend>") == 3
    assert 'name="verdict-brukerrom" value="disputed"' in page and '<label for="comment-brukerrom">' in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in response.headers


def test_the_position_is_worded_on_the_quizs_scale(tiny_dir, tmp_path):
    quiz_toml = tiny_dir / "quiz.toml"
    quiz_toml.write_text(quiz_toml.read_text() + "scale = 3\n")
    for name in ("alpha", "beta", "gamma"):
        path = tiny_dir / "stances" / f"{name}.toml"
        text = path.read_text().replace("position = -1", "position = -2")
        path.write_text(text.replace("position = 1", "position = 2"))
    app = upgraded(create_app(tiny_dir, settings(tmp_path)))
    page = app.test_client().get(link(app, "beta") + "?lang=en").get_data(as_text=True)
    assert "Our coding: <strong>Disagree</strong> (inferred from your documents)" in page
    assert "Strongly" not in page


def test_one_submission_shows_in_the_status_and_a_second_is_refused(review_app, database_url, tiny_dir, monkeypatch):
    client = review_app.test_client()
    url = link(review_app)
    response = client.post(url, data=answers())
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    thanks = client.get(url).get_data(as_text=True)
    assert "Thank you" in client.get(url + "?lang=en").get_data(as_text=True) and "<form" not in thanks
    again = client.post(url, data=answers(**{"verdict-straff": "disputed", "comment-straff": "Nei."}))
    assert again.status_code == 409 and "already sent" in client.post(url + "?lang=en", data=answers()).get_data(
        as_text=True)
    [review] = stored(review_app)
    assert review.actor == "alpha" and review.day == date.today()
    assert [(a.statement, a.verdict, a.comment) for a in review.answers] == [
        ("straff", "confirmed", ""), ("brukerrom", "disputed", "Vi vil ha brukerrom bare i store byer."),
        ("ransaking", "confirmed", "Riktig.")]

    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["review", "status", "--data", str(tiny_dir)])
    assert result.exit_code == 0, result.output
    assert "Alfa (alpha): answered on" in result.output and "2 confirmed, 1 disputed" in result.output
    assert "disputed  brukerrom: «Vi vil ha brukerrom bare i store byer.»  [not yet in the content]" in result.output
    assert "Beta (beta): no answer yet" in result.output and "Gamma (gamma): no answer yet" in result.output


def test_an_expired_link_is_refused_with_a_clear_page(review_app, monkeypatch):
    url = link(review_app, days=1)
    later = time.time() + 2 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    for response in (review_app.test_client().get(url + "?lang=en"),
                     review_app.test_client().post(url + "?lang=en", data=answers())):
        assert response.status_code == 410
        assert "This review link has expired. Ask the editors for a new one." in response.get_data(as_text=True)
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow"  # its error pages are private too
    assert stored(review_app) == []


def test_a_forged_link_is_refused(review_app):
    genuine = link(review_app)
    forged = [link(review_app, secret="another-key"), genuine[:-2] + ("AA" if genuine[-2:] != "AA" else "BB"),
              PATH + "nonsense"]
    for url in forged:
        for response in (review_app.test_client().get(url + "?lang=en"),
                         review_app.test_client().post(url + "?lang=en", data=answers())):
            assert response.status_code == 400
            assert "This review link is not valid" in response.get_data(as_text=True)
    # a quiz form token is signed with the same key but another salt: no review link
    form_token = review_app.extensions["quiz_recorder"].tokens.issue()
    assert review_app.test_client().get(PATH + form_token).status_code == 400
    assert stored(review_app) == []


def test_a_link_for_another_content_version_no_longer_applies(review_app):
    url = PATH + ReviewLinks("test-secret").issue(Invitation("alpha", "0123456789ab", 14))
    response = review_app.test_client().get(url + "?lang=en")
    assert response.status_code == 410 and "The coding has changed since this link was made" in response.get_data(
        as_text=True)


def test_one_actors_link_cannot_answer_for_another(review_app):
    client = review_app.test_client()
    beta_page = client.get(link(review_app, "beta")).get_data(as_text=True)
    assert "Beta" in beta_page and 'name="actor" value="beta"' in beta_page
    response = client.post(link(review_app, "alpha") + "?lang=en", data=answers("beta"))
    assert response.status_code == 400
    assert "This form is for “beta”, but the link is for “alpha”" in response.get_data(as_text=True)
    assert stored(review_app) == []
    # and the other actor's link still works afterwards, for that actor only
    assert client.post(link(review_app, "beta"), data=answers("beta")).status_code == 303
    assert [r.actor for r in stored(review_app)] == ["beta"]


@pytest.mark.parametrize("field, form, message", [
    ("verdict-brukerrom", {"verdict-brukerrom": None}, "Choose whether you confirm or dispute this coding."),
    ("verdict-brukerrom", {"verdict-brukerrom": "maybe"}, "Choose whether you confirm or dispute this coding."),
    ("comment-brukerrom", {"comment-brukerrom": "x" * 1001},
     "The comment has 1001 characters; at most 1000 are accepted."),
    ("comment-brukerrom", {"comment-brukerrom": "  "}, "Say in a comment why you disagree."),
])
def test_a_wrong_answer_is_shown_at_its_field_and_nothing_is_stored(review_app, field, form, message):
    response = review_app.test_client().post(link(review_app) + "?lang=en", data=answers(**form))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<p class="problem" id="problem-{field}">{message}</p>' in page
    assert f'<li><a href="#{field}">Statement 2: {message}</a></li>' in page  # brukerrom is the second
    assert "Riktig.</textarea>" in page  # what the actor wrote is kept
    assert stored(review_app) == []


@pytest.mark.parametrize("form, message", [
    ({"verdict-nonexistent": "confirmed"}, "Unknown fields: “verdict-nonexistent”"),
    ({"comment-other": "x"}, "Unknown fields: “comment-other”"),
    ({"actor": None}, "This form is for “”, but the link is for “alpha”"),
])
def test_a_form_that_is_not_this_pages_is_refused_naming_the_field(review_app, form, message):
    response = review_app.test_client().post(link(review_app) + "?lang=en", data=answers(**form))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert stored(review_app) == []


def test_a_repeated_field_is_refused(review_app):
    data = MultiDict([*answers().items(), ("verdict-straff", "disputed")])
    response = review_app.test_client().post(link(review_app) + "?lang=en", data=data)
    assert response.status_code == 400 and "The field “verdict-straff” is sent more than once." in response.get_data(
        as_text=True)


def test_the_store_keeps_the_first_answers_and_stores_no_more(database_url):
    store = open_store(database_url)
    store.upgrade()
    first = CodingReview("v1", "alpha", date(2026, 11, 30), (CodingAnswer("s1", "confirmed"),
                                                             CodingAnswer("s2", "disputed", "Nei.")))
    assert store.add_coding_review(first) is True
    assert store.add_coding_review(CodingReview("v1", "alpha", date(2026, 12, 1),
                                                (CodingAnswer("s3", "confirmed"), CodingAnswer("s1", "disputed", "x"))
                                                )) is False
    assert store.add_coding_review(CodingReview("v2", "alpha", date(2026, 12, 1), (CodingAnswer("s1", "confirmed"),)))
    assert store.coding_reviews("v1") == [first]
    assert [r.version for r in store.coding_reviews()] == ["v1", "v2"]
    assert store.coding_reviews("v1", "beta") == [] and store.count() == 0  # no voter's record
    store.close()


def test_invite_prints_one_working_link_per_actor(tiny_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    result = CliRunner().invoke(main, ["review", "invite", "--data", str(tiny_dir), "--days", "3",
                                       "--base-url", "https://valgomat.example.no/"])
    assert result.exit_code == 0, result.output
    urls = re.findall(r"^(\w+)\t[^\t]+\thttps://valgomat\.example\.no(/review-coding/\S+)$", result.stdout, re.M)
    assert [actor for actor, _ in urls] == ["alpha", "beta", "gamma"]
    app = upgraded(create_app(tiny_dir, settings(tmp_path)))
    for actor, url in urls:
        assert f'name="actor" value="{actor}"' in app.test_client().get(url).get_data(as_text=True)
    monkeypatch.delenv("SECRET_KEY")
    refused = CliRunner().invoke(main, ["review", "invite", "--data", str(tiny_dir)])
    assert refused.exit_code != 0 and "SECRET_KEY must be set" in refused.output


def test_the_result_and_methodology_pages_show_the_actors_reviews(tiny_dir, tmp_path):
    alpha = tiny_dir / "stances" / "alpha.toml"
    alpha.write_text(alpha.read_text().replace(
        'rationale = "Alfa vil ha hjelp i stedet for straff."',
        'rationale = "Alfa vil ha hjelp i stedet for straff."\nreview = "confirmed"').replace(
        'rationale = "Alfa vil ha brukerrom i alle byer."',
        'rationale = "Alfa vil ha brukerrom i alle byer."\nreview = "disputed"\n'
        'review_comment = "Vi vil ha brukerrom bare i store byer."'))
    client = create_app(tiny_dir, settings(tmp_path)).test_client()
    result = client.get("/result?straff=2&brukerrom=2&ransaking=2&lang=en").get_data(as_text=True)
    assert '<p class="actor-review confirmed">Confirmed by Alfa.</p>' in result
    assert ('<p class="actor-review disputed">Alfa disagrees with this coding: '
            '<span lang="nb">«Vi vil ha brukerrom bare i store byer.»</span></p>') in result
    said = re.findall(r'class="actor-review \w+">(Confirmed by \w+|\w+ disagrees)', result)
    assert set(said) == {"Confirmed by Alfa", "Alfa disagrees"}  # Beta and Gamma said nothing
    methodology = client.get("/methodology?lang=en").get_data(as_text=True)
    assert "Codings confirmed by the actor: 1; disputed: 1." in methodology
    assert "the actor disagrees with this coding: <span lang=\"nb\">«Vi vil ha brukerrom bare i store byer.»" \
        in methodology


def test_an_actor_disputing_a_not_addressed_coding_is_heard_on_the_result_page(tiny_dir, tmp_path):
    # Gamma is coded "not addressed" on straff; it says it did address it. A coding with no
    # position has no reasons to show, but the actor's word must not be lost.
    gamma = tiny_dir / "stances" / "gamma.toml"
    gamma.write_text(gamma.read_text().replace(
        'statement = "straff"\nposition = "none"\nrationale = "Ikke omtalt."',
        'statement = "straff"\nposition = "none"\nrationale = "Ikke omtalt."\nreview = "disputed"\n'
        'review_comment = "Vi har vedtatt å beholde straffen."', 1))
    client = create_app(tiny_dir, settings(tmp_path)).test_client()
    result = client.get("/result?straff=2&brukerrom=2&ransaking=2&lang=en").get_data(as_text=True)
    assert ('<p class="actor-review disputed">Gamma disagrees with this coding: '
            '<span lang="nb">«Vi har vedtatt å beholde straffen.»</span></p>') in result
    assert result.count("actor-review") == 1
    methodology = client.get("/methodology?lang=en").get_data(as_text=True)
    assert "Codings confirmed by the actor: 0; disputed: 1." in methodology
