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


def test_an_error_page_is_headed_by_the_error_and_titled_by_the_quiz(tiny_client):
    # The page's layout names the quiz in its header; the error's own title heads the page (a
    # variable of the layout once shadowed it, and the heading showed a Python repr).
    page = tiny_client.get("/result?straff=2&lang=xx").get_data(as_text=True)
    heading = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert heading == "Noe er galt med adressen eller skjemaet"
    assert 'class="site-title"' in page and "Localized" not in page


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


def test_a_result_page_for_some_actors_has_its_markup_unescaped(client):
    content = client.application.extensions["quiz_content"]
    query = "&".join([f"{s.id}=1" for s in content.statements] + [f"actors={a.id}" for a in content.actors[:2]])
    page = client.get("/result?" + query).get_data()
    assert page.count(b'class="statement-row"') == len(content.statements)
    assert page.count(b"</section>") == page.count(b"<section") and b"&lt;" not in page


def test_a_voters_result_page_shows_the_apis_scores_and_links_to_itself(client):
    # What a voter reads against the API, voter by voter.
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
        # and each actor's reasons are headed by its rank and the same score
        names = {a.id: a.name for a in content.actors}
        headings = re.findall(r'<h3>(\d+)\. ([^<]+?)(?:: (\d+) %)?</h3>', page)
        assert [(int(rank), name, None if score == "" else int(score)) for rank, name, score in headings] == \
            [(i, names[a], score) for i, (a, score, _) in enumerate(expected, start=1)]
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


def test_kept_parts_of_a_result_page_change_with_every_input_of_their_key(tiny_dir, tmp_path):
    # Stance blocks, statement rows, the statements of an actor's reasons and statement texts
    # are rendered once and kept. Each must be what rendering it afresh gives, and change with
    # each thing it depends on: the stance, statement or actor, the voter's answer and weight,
    # whether quotes are shown, the language, whether the URL carries the language, the partner.
    from itertools import combinations

    from flask import render_template

    from quiz.results import Comparison, StatementRow
    from quiz.views.rendering import comparison_item, stance_block, statement_row, statement_text

    (tmp_path / "partners.toml").write_text('[[partner]]\nid = "avisa"\nname = "Avisa"\n'
                                            'origins = ["https://www.avisa.no"]\n')
    app = create_app(tiny_dir, settings(tmp_path, QUIZ_PARTNERS=str(tmp_path / "partners.toml")))
    content = app.extensions["quiz_content"]
    requests = {"nb": ("/result?lang=nb", {}), "en": ("/result?lang=en", {}),
                "nb from the browser": ("/result", {"Accept-Language": "nb"}),
                "partner": ("/result?lang=nb&partner=avisa", {})}
    stances = [content.stance("alpha", "straff"), content.stance("beta", "straff"),
               content.stance("alpha", "brukerrom")]
    statements = [content.statement_by_id["straff"], content.statement_by_id["brukerrom"]]
    straff, alpha, beta = statements[0], content.actor_by_id["alpha"], content.actor_by_id["beta"]
    rows = [StatementRow(straff, 2, 1), StatementRow(straff, -2, 1), StatementRow(straff, 2, 2),
            StatementRow(statements[1], 2, 1)]
    # (comparison, actor, quotes): each differs from the first in one input of the key
    comparisons = [(Comparison(straff, 2, stances[0], 1.0, 1), alpha, True),
                   (Comparison(straff, 1, stances[0], 0.75, 1), alpha, True),
                   (Comparison(straff, 2, stances[0], 1.0, 2), alpha, True),
                   (Comparison(straff, 2, stances[0], 1.0, 1), alpha, False),
                   (Comparison(straff, 2, stances[1], 1.0, 1), beta, True),
                   (Comparison(statements[1], 2, stances[2], 1.0, 1), alpha, True)]
    shown = {}
    for name, (url, headers) in requests.items():
        for _ in range(2):  # the second time from what was kept
            with app.test_request_context(url, headers=headers):
                app.preprocess_request()
                blocks = [stance_block(s) for s in stances] + [stance_block(stances[0], quotes=False)]
                kept_rows = [statement_row(r, content.actors) for r in rows]
                items = [comparison_item(c, a, quotes=q) for c, a, q in comparisons]
                texts = [statement_text(s) for s in statements]
                assert blocks == [render_template("_stance.html", stance=s, quotes=True) for s in stances] + [
                    render_template("_stance.html", stance=stances[0], quotes=False)]
                assert kept_rows == [render_template("_statement_row.html", row=r, statement=r.statement,
                                                     compared=content.actors) for r in rows]
                assert items == [render_template("_comparison.html", comparison=c, actor=a, quotes=q)
                                 for c, a, q in comparisons]
                assert texts == [render_template("_statement_text.html", statement=s) for s in statements]
                shown[name] = blocks, kept_rows, items, texts
    for parts in shown.values():
        for kept in parts:
            assert len(set(kept)) == len(kept)
    for one, other in combinations(shown, 2):  # links carry the language and partner; words change with the language
        assert all(a != b for a, b in zip(shown[one][0][:3], shown[other][0][:3])), (one, other)
        assert all(a != b for a, b in zip(shown[one][1], shown[other][1])), (one, other)
        with_quotes = [i for i, (_, _, quotes) in enumerate(comparisons) if quotes]  # their links carry both
        assert all(shown[one][2][i] != shown[other][2][i] for i in with_quotes), (one, other)
    assert shown["nb"][3] != shown["en"][3]


def test_kept_parts_stay_within_their_memory_budget_and_pages_stay_the_same(tiny_dir, tmp_path, caplog):
    # With a budget of a few KB, parts past it are rendered for each page: the pages are what an
    # app with the default budget shows, the kept parts stay under the budget, and it says so once.
    small = create_app(tiny_dir, settings(tmp_path, QUIZ_KEPT_HTML_MB=0.01))
    roomy = create_app(tiny_dir, settings(tmp_path / "roomy", QUIZ_KEPT_HTML_MB=64))
    urls = [f"/result?straff={a}&brukerrom={b}&important=straff&lang={lang}"
            for a in (-2, 0, 2) for b in (-1, 1) for lang in ("nb", "en")]
    with caplog.at_level("WARNING", logger="quiz.views.rendering"):
        for _ in range(2):
            for url in urls:
                assert small.test_client().get(url).get_data() == roomy.test_client().get(url).get_data()
    kept = small.extensions["quiz_kept_html"]
    assert 0 < kept.size <= 0.01 * 2**20 < roomy.extensions["quiz_kept_html"].size
    assert [r.message for r in caplog.records].count(
        "kept page parts reached QUIZ_KEPT_HTML_MB (0.01 MiB): further parts are rendered for each page") == 1


def test_kept_start_and_quiz_pages_are_what_a_fresh_app_renders_in_every_language_and_partner(tiny_dir, tmp_path):
    # The start page and the quiz page's unanswered statements are kept too: after one app has
    # served every variant, each must still be what a fresh app renders for it (tokens aside).
    (tmp_path / "partners.toml").write_text('[[partner]]\nid = "avisa"\nname = "Avisa"\n'
                                            'origins = ["https://www.avisa.no"]\n')
    config = settings(tmp_path, QUIZ_PARTNERS=str(tmp_path / "partners.toml"))
    used = create_app(tiny_dir, config).test_client()
    variants = [(path + query, headers) for path in ("/", "/quiz")
                for query, headers in (("?lang=nb", {}), ("?lang=en", {}), ("", {"Accept-Language": "en"}),
                                       ("", {}), ("?partner=avisa", {}), ("?partner=avisa&lang=en", {}))]

    def page(client, url, headers):
        text = client.get(url, headers=headers).get_data(as_text=True)
        return re.sub(r'name="token" type="hidden" value="[^"]*"', "", text)

    for url, headers in variants:
        page(used, url, headers)
    shown = set()
    for url, headers in variants:
        fresh = create_app(tiny_dir, config).test_client()
        assert page(used, url, headers) == page(fresh, url, headers), (url, headers)
        shown.add(page(fresh, url, headers))
    assert len(shown) == len(variants)  # the language, whether the URL carries it, the partner: each shows
