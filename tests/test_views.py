"""Every page a voter sees, through real HTTP requests to the app."""

from __future__ import annotations

import math
import re

import pytest
from conftest import settings
from page_text import marked_passage, quotes_on, text_of

from quiz import create_app

RESULT = "/result?straff=2&brukerrom=-1&ransaking=skip&important=straff"


def test_start_page(tiny_client):
    page = text_of(tiny_client.get("/"))
    assert "Liten testvalgomat" in page and "Testredaksjonen" in page
    assert 'href="/quiz"' in page
    for title in ("Alfa-partiets program", "Betas uttalelse", "Gammas notat"):
        assert title in page
    assert 'href="/sources/beta-uttalelse"' in page
    assert "informasjonskapsler" in page  # the privacy note
    assert 'href="/methodology"' in page


def test_quiz_page_is_a_plain_html_form(tiny_client):
    page = tiny_client.get("/quiz").get_data(as_text=True)
    assert '<form method="get" action="/review"' in page
    assert re.search(r'<input id="token" name="token" type="hidden" value="[^"]{20,}">', page)
    assert page.count("<fieldset class=\"statement") == 3 and page.count("<legend>") == 3
    for value in ("2", "1", "0", "-1", "-2", "skip"):
        assert f'name="straff" type="radio" value="{value}"' in page
    assert page.count('name="important"') == 3
    assert re.search(r'<details class="context" hidden>', page)  # "what do they think" only after answering


def test_review_step_lists_answers_weights_actors_and_consent(tiny_client):
    page = text_of(tiny_client.get("/review?straff=2&brukerrom=-1&important=straff&token=abc"))
    assert '<form method="post" action="/answers"' in page
    assert '<input type="hidden" name="straff" value="2">' in page
    assert '<input type="hidden" name="ransaking" value="skip">' in page
    assert re.search(r'name="important" value="straff"\s+checked', page)
    assert not re.search(r'name="important" value="brukerrom"\s+checked', page)
    assert page.count('name="actors"') == 3 and page.count("checked> ") >= 3  # every actor, selected
    assert '<input type="checkbox" name="share" value="y">' in page  # consent, unticked
    assert 'href="/quiz?straff=2&amp;brukerrom=-1&amp;ransaking=skip&amp;important=straff&amp;token=abc#s-straff"' \
        in tiny_client.get("/review?straff=2&brukerrom=-1&important=straff&token=abc").get_data(as_text=True)


def test_actor_selection_limits_the_ranking_but_never_caps_it(tiny_client):
    page = text_of(tiny_client.get("/result?straff=2&brukerrom=-1&actors=alpha&actors=gamma"))
    names = re.findall(r'class="actor-name">([^<]+)<', page)
    assert names == ["Alfa", "Gamma"]
    assert "Du valgte å sammenligne med 2 av 3 aktører." in page
    assert tiny_client.get("/result?straff=2&actors=nope").status_code == 400


def test_quiz_page_prefills_answers_when_coming_back(tiny_client):
    page = tiny_client.get("/quiz?straff=-1&important=brukerrom").get_data(as_text=True)
    assert re.search(r'checked id="straff-\d" name="straff" type="radio" value="-1"', page)
    assert re.search(r'name="important" value="brukerrom"\s+checked', page)


def test_result_page_ranks_every_actor_with_scores_and_counts(tiny_client):
    page = text_of(tiny_client.get(RESULT))
    ranking = page[page.index('<ol class="ranking">'):page.index("</ol>")]
    names = re.findall(r'class="actor-name">([^<]+)<', ranking)
    assert names == ["Beta", "Alfa", "Gamma"]
    assert "100 %" in ranking and "8 %" in ranking  # alpha: 0.25 / 3 = 8.3 %
    assert "Ingen felles påstander" in ranking  # gamma: nothing compared, no score
    assert "Basert på 2 av de 2 påstandene du svarte på" in ranking
    assert "Organisasjon, ikke et parti" in ranking
    assert "Lenken til denne siden inneholder svarene dine" in page


def test_result_page_explains_with_cited_quotes(tiny_client):
    page = text_of(tiny_client.get(RESULT))
    quotes = quotes_on(page)
    cited = {q[0]: q[2] for q in quotes}
    assert cited["Beholde straffen for bruk av narkotika."] == "Betas uttalelse, linje 7–8"
    assert "tolket" in page  # beta's inferred position is flagged
    assert "Her er dere mest enige" in page and "Her er dere mest uenige" in page
    assert "Påstand for påstand" in page and "Hoppet over" in page


def test_every_quote_on_a_result_page_is_highlighted_in_its_source(tiny_client):
    page = text_of(tiny_client.get(RESULT))
    quotes = quotes_on(page)
    assert len(quotes) >= 4
    for quote, link, _ in quotes:
        source = text_of(tiny_client.get(link.split("#")[0]))
        assert marked_passage(source) == quote


def test_result_is_a_pure_function_of_the_url(tiny_client):
    first = tiny_client.get(RESULT).get_data()
    assert tiny_client.get(RESULT).get_data() == first
    assert tiny_client.get(RESULT + "&utm_source=avis&fbclid=abc").get_data() == first


@pytest.mark.parametrize("query, status, fragment", [
    ("straff=9", 400, "Noen svar er ugyldige"),
    ("straff=abc", 400, "Noen svar er ugyldige"),
    ("straff=skip", 400, "Svar på minst én påstand"),
    ("", 400, "Svar på minst én påstand"),
    ("straff=2&important=nope", 400, "Merket som viktig, men ikke en påstand: “nope”"),
    ("straff=2&nope=1", 400, "Ukjente felt: “nope”"),
    ("straff=2&straff=-2", 400, "besvart flere ganger"),
    ("straff=%ff%fe", 400, ""),
    ("straff=" + "9" * 5000, 400, ""),
])
def test_bad_result_urls_get_a_friendly_400(tiny_client, query, status, fragment):
    response = tiny_client.get(f"/result?{query}")
    assert response.status_code == status
    assert fragment in text_of(response)
    assert "<html" in response.get_data(as_text=True)


def test_source_page_highlights_a_passage_and_links_the_original(tiny_client):
    page = text_of(tiny_client.get("/sources/beta-uttalelse?hl=0-5"))
    assert "<mark>Betas</mark>" in page and 'id="q"' in page
    assert 'href="/sources/beta-uttalelse/original"' in page
    assert "linje 7–8" in page  # the document's own line numbers
    original = tiny_client.get("/sources/beta-uttalelse/original")
    assert original.mimetype == "text/plain"
    assert "Beta mener at straff er\u00a0nødvendig for å hindre bruk. 3" in original.get_data(as_text=True)


@pytest.mark.parametrize("url, status", [
    ("/sources/nope", 404), ("/sources/beta-uttalelse?hl=5-2", 400),
    ("/sources/beta-uttalelse?hl=abc", 400), ("/sources/beta-uttalelse?hl=0-999999", 400),
    ("/nope", 404),
])
def test_bad_source_urls(tiny_client, url, status):
    response = tiny_client.get(url)
    assert response.status_code == status
    assert "<html" in response.get_data(as_text=True)


def test_methodology_is_generated_from_the_content(tiny_client):
    page = text_of(tiny_client.get("/methodology"))
    assert "3 påstander" in page
    row = re.search(r"Beta <span.*?</tr>", page, re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "1", "1"]  # explicit, inferred, none
    assert "teller dobbelt" in page
    assert 'id="radar"' not in page  # one topic: no radar on its result pages, so none explained


def test_methodology_explains_the_radar_and_its_gaps_when_the_quiz_has_one(client):
    page = text_of(client.get("/methodology?lang=en"))
    assert 'id="radar"' in page and "the actor's line has a gap at that topic" in page


@pytest.mark.parametrize("url", ["/", "/quiz", RESULT, "/methodology", "/sources/alpha-program",
                                 "/sources/alpha-program/original", "/api/v1/quiz", "/result?straff=9",
                                 "/nope", "/static/style.css"])
def test_no_cookie_and_safe_headers_on_the_voters_path(tiny_client, url):
    response = tiny_client.get(url)
    assert "Set-Cookie" not in response.headers
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_security_headers_appear_once_and_merge_with_a_views_own(tiny_app):
    # The hook adds its headers in one pass: each once; a view's own Vary is merged, its own
    # Referrer-Policy kept, and the framing rules are always ours.
    from flask import Response

    @tiny_app.get("/own-headers")
    def own_headers():
        return Response("x", headers={"Vary": "Cookie", "Referrer-Policy": "same-origin",
                                      "Content-Security-Policy": "default-src *"})

    client = tiny_app.test_client()
    for response in (client.get("/"), client.get("/own-headers"), client.get("/", base_url="https://localhost")):
        names = [name.lower() for name, _ in response.headers]
        assert len(names) == len(set(names)), names
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY" and response.headers["Content-Language"] == "nb"
    own = client.get("/own-headers").headers
    assert own["Referrer-Policy"] == "same-origin"
    assert {v.strip() for v in own["Vary"].split(",")} == {"Cookie", "Accept-Encoding", "Accept-Language"}
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert "max-age" in client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]


def test_api_match_sets_no_cookie(tiny_client):
    response = tiny_client.post("/api/v1/match", json={"answers": {"straff": 1}})
    assert "Set-Cookie" not in response.headers


def test_result_pages_are_cacheable_and_assets_have_hashed_names(tiny_client):
    response = tiny_client.get(RESULT)
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    page = response.get_data(as_text=True)
    css = re.search(r'href="(/assets/style\.[0-9a-f]{12}\.css)"', page).group(1)
    asset = tiny_client.get(css)
    assert asset.status_code == 200 and "immutable" in asset.headers["Cache-Control"]
    assert tiny_client.get("/assets/style.000000000000.css").status_code == 404  # stale hash
    assert tiny_client.get("/assets/nope.000000000000.css").status_code == 404


def test_text_responses_are_compressed_when_asked(tiny_client):
    import gzip

    response = tiny_client.get("/quiz", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"<form" in gzip.decompress(response.get_data())
    assert "Content-Encoding" not in tiny_client.get("/quiz").headers


def test_robustness_sentence_and_pictures(tiny_client):
    page = text_of(tiny_client.get(RESULT))
    assert "Hvor sikkert er dette?" in page
    assert "Enighet per tema" not in page  # the tiny quiz has one topic: no radar
    assert "Det politiske landskapet" not in page  # and no axes: no map


def test_bundled_result_has_a_map_and_a_radar(client):
    from urllib.parse import urlencode

    content = client.application.extensions["quiz_content"]
    query = urlencode([(s.id, "2") for s in content.statements[:10]])
    page = text_of(client.get(f"/result?{query}"))
    assert page.count('class="map"') == 1 and "Straff" in page and "Skadereduksjon" in page
    assert 'class="radar-chart"' in page and "Enighet per tema, i prosent" in page


def test_a_result_page_assembled_from_shared_pieces_is_the_same_page_gzipped_or_not(client):
    # Every answer of every statement and both weights, in two languages: each shared piece
    # (stances, tables, answer lines, comparisons) is placed and decodes where it belongs.
    import gzip
    import zlib
    from urllib.parse import urlencode

    content = client.application.extensions["quiz_content"]
    for value in ("-2", "-1", "0", "1", "2", "skip"):
        for lang in ("nb", "en"):
            query = urlencode([(s.id, value if s.id != content.statements[0].id else "1")
                               for s in content.statements] + [("important", content.statements[1].id),
                                                                ("lang", lang)])
            zipped = client.get(f"/result?{query}", headers={"Accept-Encoding": "gzip"})
            plain = client.get(f"/result?{query}").get_data()
            assert zipped.headers["Content-Encoding"] == "gzip" and b"\x00" not in plain
            assert gzip.decompress(zipped.get_data()) == plain
            # A streaming decoder (as browsers use) reads it as one member to the end.
            decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
            assert decoder.decompress(zipped.get_data()) == plain and decoder.eof and not decoder.unused_data
            assert plain.count(b'class="statement-row"') == len(content.statements)
            assert plain.count(b"</section>") == plain.count(b"<section") and b"&lt;/" not in plain


def test_warming_renders_every_piece_a_result_page_uses(client):
    # gunicorn's master calls warm_pieces before forking: afterwards no result page should
    # need a piece that is not there yet (else each worker renders it again, separately).
    import random

    from quiz.views.fragments import warm_pieces

    app = client.application
    content = app.extensions["quiz_content"]
    count = warm_pieces(app)
    rng = random.Random(5)
    for i in range(40):
        params = [f"{s.id}={rng.choice(['-2', '-1', '0', '1', '2', 'skip'])}" for s in content.statements]
        params += [f"important={s.id}" for s in content.statements if rng.random() < 0.2]
        params += ["lang=en"] if i % 3 == 0 else ["lang=nb"] if i % 3 == 1 else []
        params += [f"actors={a.id}" for a in rng.sample(content.actors, 2)] if i % 5 == 0 else []
        headers = {"Accept-Language": "en"} if i % 4 == 0 else {}
        assert client.get("/result?" + "&".join(params), headers=headers).status_code in (200, 400)
        assert client.get("/review?" + "&".join(params), headers=headers).status_code in (200, 400)
        assert client.get("/quiz?" + "&".join(params[-1:]), headers=headers).status_code == 200
    assert len(app.extensions["quiz_pieces"]) == count


def test_pieces_kept_per_language_only_hold_no_links(client):
    # Heads of comparisons, statement rows and review rows are kept per language only, not per
    # partner: a link in them would carry one partner's (or no) id into another partner's page.
    from quiz.views.fragments import warm_pieces

    app = client.application
    warm_pieces(app)
    language_only = [piece for key, piece in app.extensions["quiz_pieces"].items()
                     if key[-1] in ("nb", "en") and hasattr(piece, "raw")]
    assert len(language_only) > 100
    # (a review row's head ends with an open href=": the voter's own address follows it live)
    assert not [piece.raw for piece in language_only if re.search(rb'(href|action|src)="[^"]', piece.raw)]


def test_a_result_page_for_some_actors_has_its_markup_unescaped(client):
    content = client.application.extensions["quiz_content"]
    query = "&".join([f"{s.id}=1" for s in content.statements] + [f"actors={a.id}" for a in content.actors[:2]])
    page = client.get("/result?" + query).get_data()
    assert page.count(b'class="statement-row"') == len(content.statements)
    assert page.count(b"</section>") == page.count(b"<section") and b"&lt;" not in page


def test_a_voters_result_page_shows_the_apis_scores_and_links_to_itself(client):
    # The page is filled from stencils: check what a voter reads against the API, voter by voter.
    import random
    from html import unescape
    from urllib.parse import urlencode

    content = client.application.extensions["quiz_content"]
    rng = random.Random(11)
    for _ in range(25):
        answers = {s.id: rng.choice([-2, -1, 0, 1, 2, None]) for s in content.statements}
        answers[content.statements[0].id] = 1
        important = [s.id for s in content.statements if rng.random() < 0.3]
        query = urlencode([(k, "skip" if v is None else v) for k, v in answers.items()]
                          + [("important", sid) for sid in important])
        page = text_of(client.get(f"/result?{query}&lang=en", base_url="https://valg.example.org"))
        api = client.post("/api/v1/match", json={"answers": answers, "weights": dict.fromkeys(important, 2)})
        expected = [(a["actor"], None if a["score"] is None else math.floor(a["score"] + 0.5), a["compared"])
                    for a in api.get_json()["results"]]
        ranking = page[page.index('<ol class="ranking">'):page.index("</ol>")]
        shown = re.findall(r'href="#actor-([a-z0-9-]+)".*?<span class="score">([^<]*)</span>.*?Based on (\d+) of',
                           ranking, flags=re.S)
        assert [(a, None if s == "No statements in common" else int(s.rstrip(" %")), int(n))
                for a, s, n in shown] == expected
        answered = sum(v is not None for v in answers.values())
        assert f"You answered {answered} of {len(content.statements)} statements." in page
        share = unescape(re.search(r'value="([^"]+)" id="share-url"', page).group(1))
        assert share.startswith("https://valg.example.org/result?lang=en&")
        assert client.get(share.removeprefix("https://valg.example.org")).get_data() == \
            client.get(f"/result?{query}&lang=en").get_data()  # the same page, from the canonical link


@pytest.mark.parametrize("k", [10, 25])
def test_the_privacy_page_states_the_configured_suppression_threshold(tiny_dir, tmp_path, k):
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_SUPPRESS_BELOW=k))
    assert f"færre enn {k} personer" in app.test_client().get("/privacy?lang=nb").get_data(as_text=True)
    assert f"fewer than {k} people" in app.test_client().get("/privacy?lang=en").get_data(as_text=True)


def test_methodology_gives_the_bundled_quiz_figures_and_why_salience_items_are_kept(client):
    """The figures come from the content: splitting statements, how positions rest on the text,
    and whom uniform random voters get."""
    from quiz.app import REPO_ROOT
    from quiz.figures import content_figures
    from quiz.loading import load_content

    figures = content_figures(load_content(REPO_ROOT))
    page = text_of(client.get("/methodology?lang=en"))
    assert f"{figures.splitting} of the {figures.statements} statements split the actors" in page
    assert (f"In all, {figures.explicit} positions are stated in the text, {figures.inferred} are inferred, "
            f"and {figures.none} times an actor does not address a statement.") in page
    assert "One statement is kept on purpose although no actor disagrees with it" in page
    assert "«More supervised consumption rooms" in page and "Harm reduction is a distinct part" in page
    assert "Of 20 000 simulated voters who answer at random, the closest match is:" in page
    for actor, share in figures.uniform_shares:
        assert f"{actor.name}: {int(100 * share + 0.5)} %" in page  # Jinja's round: halves go up
    assert "random answers average out near the middle" in page
    assert figures.splitting == 9 and figures.statements == 10 and len(figures.salience) == 1
