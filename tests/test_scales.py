"""A quiz's answer scale (3, 4 or 5 points): scores equal Wahl-O-Mat's and NRK's published rules
exactly, and everything a voter or editor touches offers and accepts only the scale's answers."""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import settings, write_tiny_quiz
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from page_text import text_of

from quiz import create_app
from quiz.authoring.audit import random_profiles, run_audit
from quiz.cli import main
from quiz.export import aggregate, protect
from quiz.landscape import axis_coordinates
from quiz.loading import ContentError, load_content
from quiz.matching import group_sums, match_scores, sums_scores, term_table, voter_terms
from quiz.model import SCALES
from quiz.storage import ResponseRecord, open_store

NAN = float("nan")
EXAMPLES = hypothesis_settings(max_examples=150, deadline=None,
                               suppress_health_check=[HealthCheck.function_scoped_fixture])


def scaled_quiz(root: Path, scale: int) -> Path:
    """The tiny quiz on ``scale``: its -1 and 1 positions become -2 and 2 on three points."""
    write_tiny_quiz(root)
    quiz_toml = root / "quiz.toml"
    quiz_toml.write_text(quiz_toml.read_text(encoding="utf-8") + f"scale = {scale}\n", encoding="utf-8")
    if scale == 3:
        for path in (root / "stances").glob("*.toml"):
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("position = -1", "position = -2").replace("position = 1", "position = 2"),
                            encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def three_point(tmp_path_factory):
    root = tmp_path_factory.mktemp("three")
    return create_app(scaled_quiz(root / "quiz", 3), settings(root))


@pytest.fixture(scope="module")
def four_point(tmp_path_factory):
    root = tmp_path_factory.mktemp("four")
    return create_app(scaled_quiz(root / "quiz", 4), settings(root))


# -- the published rules, written plainly as oracles -------------------------------------------

def wahl_o_mat(answers: dict, important: set, positions: dict) -> float | None:
    """Wahl-O-Mat: 2 points for the same answer, 1 when one side is neutral, 0 for opposite
    answers; an important statement counts twice; percent of the points possible."""
    points = possible = 0
    for statement, answer in answers.items():
        position = positions.get(statement)
        if answer is None or position is None:
            continue
        gained = 2 if answer == position else 1 if 0 in (answer, position) else 0
        times = 2 if statement in important else 1
        points, possible = points + times * gained, possible + times * 2
    return None if possible == 0 else float(Fraction(100 * points, possible))


def nrk_proximity(positions_a: dict, positions_b: dict) -> Fraction | None:
    """NRK's valg-valgomat-algoritme (proximity): over the statements both answered, values
    -2, -1, 1, 2, (n · 4 − Σ|a − b|) / (n · 4); null when nothing is in common."""
    common = [s for s, v in positions_a.items() if v is not None and positions_b.get(s) is not None]
    if not common:
        return None
    distance = sum(abs(positions_a[s] - positions_b[s]) for s in common)
    maximum = len(common) * 4
    return Fraction(maximum - distance, maximum)


def actor_positions(content) -> dict[str, dict]:
    return {a.id: {s.id: content.stance(a.id, s.id).position for s in content.statements} for a in content.actors}


def api_scores(client, answers: dict, important: set) -> dict:
    body = {"answers": answers, "weights": {s: 2 for s in important}}
    response = client.post("/api/v1/match", json=body)
    assert response.status_code == 200, response.get_json()
    return {row["actor"]: row["score"] for row in response.get_json()["results"]}


def ballots(scale: int, statements=("straff", "brukerrom", "ransaking")):
    answer = st.sampled_from([*SCALES[scale], None])
    return st.tuples(st.fixed_dictionaries({s: answer for s in statements}),
                     st.sets(st.sampled_from(statements))).filter(
        lambda b: any(v is not None for v in b[0].values()))


# -- scoring ------------------------------------------------------------------------------------

@EXAMPLES
@given(ballot=ballots(3))
def test_a_three_point_quiz_scores_exactly_as_wahl_o_mat(three_point, ballot):
    answers, important = ballot
    content = three_point.extensions["quiz_content"]
    scores = api_scores(three_point.test_client(), answers, important)
    for actor, positions in actor_positions(content).items():
        assert scores[actor] == wahl_o_mat(answers, important & set(answers), positions)  # to the last bit


@EXAMPLES
@given(ballot=ballots(4))
def test_a_four_point_quiz_scores_exactly_as_nrks_published_algorithm(four_point, ballot):
    answers, _ = ballot  # NRK has no "important": every statement counts once
    content = four_point.extensions["quiz_content"]
    scores = api_scores(four_point.test_client(), answers, set())
    for actor, positions in actor_positions(content).items():
        proximity = nrk_proximity(positions, answers)
        assert scores[actor] == (None if proximity is None else float(100 * proximity))


@pytest.mark.parametrize("scale", sorted(SCALES))
@hypothesis_settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_kernel_and_the_term_table_are_exact_on_every_scale(scale, data):
    values = [*SCALES[scale], None]
    n_actors, n_statements = data.draw(st.integers(1, 5)), data.draw(st.integers(1, 8))
    positions = data.draw(st.lists(st.lists(st.sampled_from(values), min_size=n_statements, max_size=n_statements),
                                   min_size=n_actors, max_size=n_actors))
    answers = data.draw(st.lists(st.sampled_from(values), min_size=n_statements, max_size=n_statements))
    weights = data.draw(st.lists(st.sampled_from([1, 2]), min_size=n_statements, max_size=n_statements))
    matrix = np.array([[NAN if p is None else p for p in row] for row in positions], dtype=float)
    vector = np.array([NAN if a is None else a for a in answers], dtype=float)
    kernel, _ = match_scores(vector, np.array(weights, dtype=float), matrix)
    codes = [0 if a is None else 1 + 2 * (a + 2) + w - 1 for a, w in zip(answers, weights, strict=True)]
    terms = voter_terms(term_table(matrix), codes)
    table = sums_scores(group_sums(terms, np.ones((n_statements, 1))))[0]
    for i, row in enumerate(positions):
        both = [(a, p, w) for a, p, w in zip(answers, row, weights, strict=True) if a is not None and p is not None]
        total = sum(w for *_, w in both)
        expected = float(100 * sum(w * (1 - Fraction(abs(a - p), 4)) for a, p, w in both) / total) if both else None
        for found in (kernel[0, i], table[i]):
            assert (np.isnan(found) if expected is None else found == expected)


# -- what the voter and the API see -----------------------------------------------------------

def test_the_api_states_the_scale_and_refuses_answers_off_it(three_point, four_point):
    assert three_point.test_client().get("/api/v1/quiz").get_json()["scale"] == [-2, 0, 2]
    assert four_point.test_client().get("/api/v1/quiz").get_json()["scale"] == [-2, -1, 1, 2]
    for app, off, allowed in ((three_point, 1, "-2, 0, 2"), (four_point, 0, "-2, -1, 1, 2")):
        response = app.test_client().post("/api/v1/match", json={"answers": {"straff": off}})
        assert response.status_code == 400
        assert response.get_json()["error"] == f"answers.straff: {off} is off the scale: use {allowed} or null"


def test_the_openapi_document_lists_the_scales_answers(three_point):
    document = three_point.test_client().get("/api/v1/openapi.json").get_json()
    request = document["paths"]["/api/v1/match"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    answers = request["properties"]["answers"]["properties"]
    assert answers["straff"]["enum"] == [-2, 0, 2, None]


def radio_values(page: str, statement: str) -> list[str]:
    return re.findall(rf'name="{statement}" type="radio" value="([^"]+)"', page)


def radio_labels(page: str) -> list[str]:
    first = page.split('<fieldset class="statement')[1]
    return re.findall(r'type="radio" value="[^"]+"> <span>([^<]+)</span>', first)


def test_the_quiz_form_offers_only_the_scales_answers_with_their_words(three_point, four_point, tiny_client):
    three = text_of(three_point.test_client().get("/quiz?lang=en"))
    assert radio_values(three, "straff") == ["2", "0", "-2", "skip"]
    assert radio_labels(three) == ["Agree", "Neutral", "Disagree", "Skip"]
    assert "Keys: 1–3 answer" in three and three.count('<kbd class="key" hidden>') == 3 * 3
    assert radio_labels(text_of(three_point.test_client().get("/quiz?lang=nb"))) == ["Enig", "Nøytral", "Uenig",
                                                                                     "Hopp over"]
    four = text_of(four_point.test_client().get("/quiz?lang=en"))
    assert radio_values(four, "straff") == ["2", "1", "-1", "-2", "skip"]
    assert radio_labels(four) == ["Strongly agree", "Somewhat agree", "Somewhat disagree", "Strongly disagree", "Skip"]
    assert "Keys: 1–4 answer" in four
    five = text_of(tiny_client.get("/quiz?lang=en"))
    assert radio_values(five, "straff") == ["2", "1", "0", "-1", "-2", "skip"]


@pytest.mark.parametrize("url", ["/result?straff=1", "/review?straff=1"])
def test_an_answer_off_the_scale_in_a_url_is_a_400(three_point, url):
    assert three_point.test_client().get(url).status_code == 400


def test_the_quiz_page_marks_an_answer_off_the_scale(three_point):
    page = text_of(three_point.test_client().get("/quiz?straff=1&lang=en"))
    assert "Not a valid answer." in page and 'value="1"' not in page


def test_the_result_page_words_positions_on_the_scale(three_point):
    page = text_of(three_point.test_client().get("/result?straff=2&brukerrom=0&ransaking=-2&lang=en"))
    assert "Agree" in page and "Disagree" in page
    assert "Strongly agree" not in page and "Somewhat" not in page


# -- content, audit, export, map ----------------------------------------------------------------

def test_validation_refuses_positions_off_the_quizs_scale(tmp_path):
    root = scaled_quiz(tmp_path / "quiz", 3)
    alpha = root / "stances" / "alpha.toml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("position = -2", "position = -1", 1), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_content(root)
    assert 'stances/alpha.toml: stance straff: position -1 is off the scale: use -2, 0, 2 or "none"' in str(error.value)
    result = CliRunner().invoke(main, ["validate", "--data", str(root)])
    assert result.exit_code != 0 and "position -1 is off the scale: use -2, 0, 2" in result.output


@pytest.mark.parametrize("value", ["6", "2", '"3"', "true"])
def test_a_scale_that_is_not_3_4_or_5_is_refused(tmp_path, value):
    root = write_tiny_quiz(tmp_path / "quiz")
    (root / "quiz.toml").write_text((root / "quiz.toml").read_text(encoding="utf-8") + f"scale = {value}\n",
                                    encoding="utf-8")
    with pytest.raises(ContentError, match="quiz.toml: scale: 'scale'"):
        load_content(root)


@pytest.mark.parametrize("scale", sorted(SCALES))
def test_simulated_voters_answer_on_the_scale(tmp_path, scale):
    content = load_content(scaled_quiz(tmp_path / "quiz", scale))
    rng = np.random.default_rng(1)
    drawn = np.concatenate([random_profiles(content.positions, 500, rng, near, content.scale)
                            for near in (None, 0, 1, 2)])
    assert set(np.unique(drawn).tolist()) == set(SCALES[scale])
    assert run_audit(content, voters=300).simulations  # the audit runs on every scale


def test_the_export_counts_the_scales_answers_only(tmp_path):
    content = load_content(scaled_quiz(tmp_path / "quiz", 3))
    store = open_store(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    store.upgrade()
    # stored as answer + 2: "0" = -2, "2" = 0, "4" = 2, "-" = skipped
    store.add([ResponseRecord(content.version, date(2026, 9, 1), None, "402", "111", ("beta",), f"a{i}")
               for i in range(4)] + [ResponseRecord(content.version, date(2026, 9, 1), None, "0-4", "111",
                                                    ("alpha",), "b")])
    counted = aggregate(store, content)
    assert counted.categories == ("-2", "0", "2", "skip")
    answers = sum(block.answers for block in counted.blocks.values())  # the raw counts, before protection
    assert answers[0].tolist() == [1, 0, 4, 0] and answers[1].tolist() == [4, 0, 0, 1]
    release = protect(counted)
    assert set(release["statements"][0]["answers"]) == {"-2", "0", "2", "skip"}
    assert set(release["statements"][2]["by_top_match"]) == {"-2", "0", "2", "skip"}


def test_the_map_places_three_point_positions_at_the_ends(tmp_path):
    root = scaled_quiz(tmp_path / "quiz", 3)
    statements = root / "questions" / "statements.toml"
    brukerrom = 'topic = "straff"\ntext = "Det bør'
    text = statements.read_text(encoding="utf-8").replace(brukerrom, 'topic = "straff"\naxes = { liberal = 1 }\n'
                                                          + brukerrom.split("\n")[1])
    statements.write_text('[[axis]]\nid = "liberal"\nlow = "streng"\nhigh = "liberal"\n\n' + text, encoding="utf-8")
    content = load_content(root)
    places = axis_coordinates(content, content.positions, 1)[:, 0]
    assert places[:2].tolist() == [1.0, -1.0] and np.isnan(places[2])  # alpha, beta on brukerrom; gamma none


def test_keys_answer_on_a_three_point_scale_in_a_real_browser(page, tmp_path):
    from live_server import serve_app

    app = create_app(scaled_quiz(tmp_path / "quiz", 3), settings(tmp_path))
    with serve_app(app) as url:
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{url}/quiz?lang=en")
        assert page.locator("kbd.key:visible").count() == 3  # on the statement shown: 1–3, not skip
        page.keyboard.press("3")
        assert page.locator("fieldset.statement:not([hidden]) input:checked").get_attribute("value") == "-2"
        page.keyboard.press("4")  # not an answer on this scale: nothing changes
        assert page.locator("fieldset.statement:not([hidden]) input:checked").get_attribute("value") == "-2"
        assert "straff=-2" in page.url and errors == []
