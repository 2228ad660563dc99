"""Hostile and random input: properties of the matching rule, and no input that makes a 5xx."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from quiz import create_app
from quiz.matching import match_scores
from quiz.storage import open_store

FAST = hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
values = st.sampled_from([-2.0, -1.0, 0.0, 1.0, 2.0, np.nan])


@st.composite
def quiz_and_voters(draw):
    n_statements = draw(st.integers(1, 12))
    n_actors = draw(st.integers(1, 6))
    n_voters = draw(st.integers(1, 8))
    positions = draw(arrays(float, (n_actors, n_statements), elements=values))
    answers = draw(arrays(float, (n_voters, n_statements), elements=values))
    weights = draw(arrays(float, (n_voters, n_statements), elements=st.sampled_from([1.0, 2.0])))
    return positions, answers, weights


@FAST
@given(quiz_and_voters())
def test_scores_are_percentages_or_null_exactly_when_nothing_is_compared(data):
    positions, answers, weights = data
    scores, compared = match_scores(answers, weights, positions)
    known = ~np.isnan(scores)
    assert np.array_equal(known, compared > 0)
    assert np.all((scores[known] >= 0) & (scores[known] <= 100))


@FAST
@given(quiz_and_voters())
def test_an_actor_answering_as_itself_scores_100(data):
    positions, _, _ = data
    scores, compared = match_scores(positions, None, positions)
    diagonal, counts = np.diag(scores), np.diag(compared)
    assert np.all(diagonal[counts > 0] == 100.0)


@FAST
@given(quiz_and_voters(), st.randoms())
def test_statement_order_does_not_matter(data, random):
    positions, answers, weights = data
    order = list(range(positions.shape[1]))
    random.shuffle(order)
    first = match_scores(answers, weights, positions)
    second = match_scores(answers[:, order], weights[:, order], positions[:, order])
    np.testing.assert_allclose(first[0], second[0], equal_nan=True)
    assert np.array_equal(first[1], second[1])


@FAST
@given(quiz_and_voters())
def test_doubling_every_weight_changes_nothing(data):
    positions, answers, _ = data
    ones = match_scores(answers, np.ones_like(answers), positions)[0]
    twos = match_scores(answers, 2 * np.ones_like(answers), positions)[0]
    np.testing.assert_allclose(ones, twos, equal_nan=True)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from conftest import write_tiny_quiz

    root = tmp_path_factory.mktemp("hostile")
    app = create_app(write_tiny_quiz(root / "quiz"), settings(root))
    open_store(app.config["DATABASE_URL"]).upgrade()
    return app.test_client()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["answers", "weights", "straff", "brukerrom", "ransaking", "x", ""]) | st.text(max_size=5),
        inner, max_size=4),
    max_leaves=20)


@FAST
@given(json_values)
def test_match_never_fails_on_any_json(client, body):
    response = client.post("/api/v1/match", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    if response.status_code == 400:
        assert response.get_json()["error"]


# Names that mean something to url_for, had a page passed its query on as keywords (it must not).
URL_FOR_WORDS = ["endpoint", "_anchor", "_method", "_scheme", "_external", "values", "source_id", "hl"]
query_pairs = st.lists(st.tuples(
    st.sampled_from(["straff", "brukerrom", "ransaking", "important", "actors", "lang", "partner", "token", "zz",
                     *URL_FOR_WORDS]) | st.text(max_size=6),
    st.sampled_from(["2", "-2", "skip", "straff", "alpha", "en", "", "9"]) | st.text(max_size=6)), max_size=8)


@FAST
@given(query_pairs, st.sampled_from(["/result", "/review", "/quiz", "/", "/privacy", "/methodology",
                                     "/sources/alpha-program", "/embed", "/nowhere"]))
def test_pages_never_fail_on_any_query(client, pairs, path):
    response = client.get(path, query_string=pairs)
    assert response.status_code in (200, 400, 404), (pairs, response.status_code)


@pytest.mark.parametrize("word", URL_FOR_WORDS)
@pytest.mark.parametrize("path", ["/", "/quiz", "/privacy", "/methodology", "/sources/alpha-program", "/nowhere"])
def test_a_query_parameter_named_like_a_url_for_keyword_is_just_a_parameter(client, path, word):
    response = client.get(path, query_string={word: "x", "lang": "en"})
    assert response.status_code in (200, 400, 404)
    assert "lang=nb" in response.get_data(as_text=True)  # the language link is there


@pytest.mark.parametrize("path", ["/", "/privacy", "/methodology"])
def test_one_readers_query_never_reaches_the_next_readers_cached_page(tmp_path, tiny_dir, path):
    app = create_app(tiny_dir, settings(tmp_path))
    client = app.test_client()
    assert client.get(path, query_string={"lang": "en", "straff": "2", "x": '"poisoned'}).status_code == 200
    page = client.get(path, query_string={"lang": "en"}).get_data(as_text=True)
    assert "poisoned" not in page and "straff=2" not in page
    assert _language_link(page) == f"{path}?lang=nb"


def _language_link(page: str) -> str:
    """The address of the (first) link of the language switch."""
    return page.split('<nav class="language"')[1].split('href="')[1].split('"')[0]


def test_the_language_link_keeps_what_the_page_shows_and_nothing_else(client):
    quiz = client.get("/quiz?straff=2&important=straff&utm_source=x&zz=1").get_data(as_text=True)
    link = _language_link(quiz)
    assert "straff=2" in link and "important=straff" in link and "utm_source" not in link and "zz" not in link
    source = client.get("/sources/alpha-program?hl=0-4&zz=1").get_data(as_text=True)
    link = _language_link(source)
    assert "hl=0-4" in link and "zz" not in link


@FAST
@given(query_pairs)
def test_answers_form_never_fails(client, pairs):
    from werkzeug.datastructures import MultiDict

    response = client.post("/answers", data=MultiDict(pairs), headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code in (303, 400)


@pytest.mark.parametrize("body", [
    "[" * 100_000 + "]" * 100_000,  # deep (and over the body limit)
    '{"a":' * 10_000 + "1" + "}" * 10_000,  # deeper than the parser goes, within the body limit
    '{"answers": ' + "[" * 30_000 + "]" * 30_000 + "}",
    json.dumps({"answers": {f"k{i}": 1 for i in range(20_000)}}),  # huge (over the body limit)
    '{"answers": {"straff": 1}, "answers": {"straff": 9}}',  # duplicated key
])
def test_deep_huge_or_duplicated_json_is_a_4xx(client, body):
    response = client.post("/api/v1/match", data=body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert "error" in response.get_json()


def test_invalid_utf8_and_very_long_query_strings(client):
    assert client.get("/result?straff=%ff%fe%fd").status_code == 400
    assert client.get("/result?" + "straff=2&" * 5_000).status_code == 400
    assert client.get("/result?" + "x" * 100_000).status_code == 400
    assert client.post("/answers", data=b"straff=\xff\xfe", content_type="application/x-www-form-urlencoded",
                       headers={"Sec-Fetch-Site": "same-origin"}).status_code == 400
    assert client.get("/").status_code == 200  # and the server is still up


def test_ballot_stuffing_from_one_client_counts_at_most_the_limit(tiny_dir, tmp_path):
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_STORE_LIMIT="20/hour", QUIZ_MIN_SECONDS=5))
    open_store(app.config["DATABASE_URL"]).upgrade()
    client, tokens = app.test_client(), app.extensions["quiz_recorder"].tokens
    form = {"straff": "2", "share": "y"}
    headers = {"Sec-Fetch-Site": "same-origin"}
    aged = FormTokensAged(tokens)
    replayed = aged.issue()
    for _ in range(2_000):  # one old enough token, replayed: counted once
        assert client.post("/answers", data={**form, "token": replayed}, headers=headers).status_code == 303
    assert app.extensions["quiz_recorder"].store.count() == 1
    fresh = tokens.issue()
    for _ in range(2_000):  # too fast: the token is newer than the minimum time
        client.post("/answers", data={**form, "token": tokens.issue()}, headers=headers)
    for _ in range(2_000):  # forged partner ids
        assert client.post("/answers?partner=evil", data={**form, "token": aged.issue()},
                           headers=headers).status_code == 400
    for _ in range(2_000):  # forged tokens
        client.post("/answers", data={**form, "token": fresh[:-4] + "AAAA"}, headers=headers)
    for _ in range(2_000):  # valid, aged, distinct tokens: only the rate limit stops these
        client.post("/answers", data={**form, "token": aged.issue()}, headers=headers)
    # 10,000 attempts, one counted: replays that pass the signature check spend the client's
    # allowance too (20 an hour), so the distinct tokens that came after were rate-limited.
    assert app.extensions["quiz_recorder"].store.count() == 1
    counts = app.extensions["quiz_recorder"].counts
    assert counts["rejected-too-fast"] == 2_000 and counts["rejected-forged"] == 2_000
    assert counts["rejected-replay"] + counts["rejected-rate-limited"] + counts["stored"] == 4_000


class FormTokensAged:
    """Tokens as if issued a minute ago: what a patient script would hold."""

    def __init__(self, tokens):
        self.tokens = tokens

    def issue(self) -> str:
        import time
        from unittest import mock

        with mock.patch("time.time", return_value=time.time() - 60):
            return self.tokens.issue()


@pytest.fixture(scope="module")
def tiny_app_for_urls(tmp_path_factory):
    from conftest import write_tiny_quiz

    root = tmp_path_factory.mktemp("urls")
    return create_app(write_tiny_quiz(root / "quiz"), settings(root))


url_names = st.sampled_from(["straff", "brukerrom", "ransaking", "important", "actors", "token", "utm_source",
                             "nope"])
url_values = st.sampled_from(["-2", "-1", "0", "1", "2", "skip", "", "3", "1.0", "straff", "ransaking",
                              "ap", "v", "nb", "x"])
url_params = st.one_of(st.tuples(url_names, url_values), st.tuples(st.just("lang"), st.sampled_from(["nb", "en"])))


@FAST
@given(st.lists(url_params, max_size=8))
def test_a_result_urls_canonical_link_reads_back_as_the_same_ballot(tiny_app_for_urls, query):
    # Any result URL is a page or a 400; the page's links (change answers, share) carry the
    # canonical query, which must read back as the same ballot and actors.
    from urllib.parse import parse_qsl, urlencode

    from werkzeug.datastructures import MultiDict
    from werkzeug.exceptions import HTTPException

    from quiz.forms import ballot_query
    from quiz.views.pages import _ballot

    app = tiny_app_for_urls
    content = app.extensions["quiz_content"]
    with app.test_request_context("/result?" + urlencode(query)):
        from flask import request

        app.preprocess_request()  # the language and partner, as for a request
        try:
            read = _ballot(request.args)
        except HTTPException:
            read = None
        if read is not None:
            link = ballot_query(content, *read)
            assert _ballot(MultiDict(parse_qsl(link))) == read
            assert ballot_query(content, *_ballot(MultiDict(parse_qsl(link)))) == link
    status = app.test_client().get("/result?" + urlencode(query)).status_code
    assert status == (200 if read is not None else 400)


def test_a_chunked_body_over_the_limit_is_a_413_and_under_it_is_read(client):
    import io

    def post(body: bytes):
        return client.post("/api/v1/match", input_stream=io.BytesIO(body), content_type="application/json",
                           headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})

    assert post(json.dumps({"answers": {"straff": 1}, "x": "a" * 70_000}).encode()).status_code == 413
    assert post(json.dumps({"answers": {"straff": 1}}).encode()).status_code == 200


def test_a_host_header_werkzeug_refuses_is_a_400_not_a_500(client):
    for path in ("/", "/result?straff=2", "/api/v1/quiz", "/nowhere"):
        response = client.get(path, headers={"Host": "a" * 300})
        assert response.status_code == 400, path


def test_a_file_name_too_long_for_the_disk_is_a_404(client):
    assert client.get("/assets/" + "a" * 3000 + ".0123456789ab.css").status_code == 404
    assert client.get("/static/" + "a" * 3000).status_code == 404


def test_errors_keep_the_headers_http_requires(client):
    assert client.put("/quiz").headers["Allow"] and client.post("/result").status_code == 405
    assert "POST" in client.get("/answers").headers["Allow"]
    assert "POST" in client.delete("/api/v1/match").headers["Allow"]


@pytest.mark.parametrize("header, gzipped", [("gzip", True), ("gzip, deflate, br", True), ("GZIP", True),
                                             ("deflate, gzip;q=0.5", True), ("*", True), ("gzip;q=0", False),
                                             ("nogzip", False), ("gzipx", False), ("identity", False), ("", False)])
def test_gzip_only_when_the_client_takes_it(client, header, gzipped):
    for path in ("/", "/result?straff=2", "/api/v1/quiz"):
        response = client.get(path, headers={"Accept-Encoding": header})
        assert (response.headers.get("Content-Encoding") == "gzip") is gzipped, (path, header)


@pytest.mark.parametrize("query, named", [
    ("straff=2&actors=zz", "“zz”"), ("straff=2&important=zz", "“zz”"), ("straff=2&=1", "“”"),
    ("straff=9", "Not a valid answer"),
])
def test_a_400_page_names_what_is_wrong(client, query, named):
    response = client.get(f"/result?{query}&lang=en")
    assert response.status_code == 400 and named in response.get_data(as_text=True)


def test_error_pages_speak_the_readers_language(client):
    page = client.get("/nowhere?lang=nb").get_data(as_text=True)
    assert "Det finnes ingen side på denne adressen" in page and "requested URL was not found" not in page
    assert "Denne adressen tar ikke imot" in client.put("/quiz?lang=nb").get_data(as_text=True)


@pytest.mark.parametrize("highlight", ["%D9%A1-%D9%A2", "1-2%0A", "2-1", "0-999999"])
def test_a_highlight_is_two_ascii_numbers_within_the_document(client, highlight):
    assert client.get(f"/sources/alpha-program?hl={highlight}").status_code == 400
