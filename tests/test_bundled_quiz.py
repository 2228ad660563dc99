"""The bundled rusreform quiz: complete, quoted, balanced, and explained on the result page."""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np
import pytest
from page_text import marked_passage, quotes_on, text_of

from quiz.app import REPO_ROOT
from quiz.loading import load_content


@pytest.fixture(scope="module")
def content():
    return load_content(REPO_ROOT)


def test_the_bundled_quiz_is_valid_and_complete(content):
    assert {a.id for a in content.actors} == {"sp-vestfold", "sp", "v", "ap", "npl"}
    assert {s.id for s in content.sources} == {
        "sp-vestfold-resolusjon", "sp-resolusjon", "venstre-rusreform", "ap-rusreform", "npl-horingsuttalelse"}
    assert 10 <= len(content.statements) <= 14
    assert all(s.text_en for s in content.statements)
    assert all(t.name_en for t in content.topics) and all(a.low_en and a.high_en for a in content.axes)
    assert all(s.rationale_en for s in content.stances)
    assert len(content.stances) == len(content.actors) * len(content.statements)


def test_actor_kinds_say_who_is_a_party(content):
    actors = content.actor_by_id
    assert actors["npl"].kind == "organisation"
    assert actors["sp-vestfold"].kind == "party-branch" and actors["sp-vestfold"].parent == "sp"
    assert {actors[a].kind for a in ("sp", "v", "ap")} == {"party"}


def test_every_statement_splits_the_actors_but_the_marked_salience_items(content):
    """At least one positioned actor on each side of neutral, and three positioned actors,
    except for at most two salience items that say (in both languages) why they are kept."""
    salience = [s for s in content.statements if s.salience]
    assert 1 <= len(salience) <= 2
    assert all(s.salience_reason and s.salience_reason_en for s in salience)
    for j, statement in enumerate(content.statements):
        known = content.positions[:, j][~np.isnan(content.positions[:, j])]
        splits = (known > 0).any() and (known < 0).any()
        assert splits != statement.salience, statement.id
        assert len(known) >= (2 if statement.salience else 3), statement.id


def test_about_half_the_statements_put_agree_on_the_restrictive_side(content):
    """Sp, the most restrictive party, agrees with about half of the statements it takes a side on."""
    row = content.positions[[a.id for a in content.actors].index("sp")]
    agree, disagree = int((row > 0).sum()), int((row < 0).sum())
    assert abs(agree - disagree) <= 2, (agree, disagree)


def test_agreeing_is_not_always_one_camps_side(content):
    """Both the most liberal and the most restrictive party press 'agree' on a fair share."""
    for actor in ("v", "sp", "npl"):
        mine = [content.stance(actor, s.id) for s in content.statements]
        positioned = [s for s in mine if s.position is not None]
        agrees = [s for s in positioned if s.position > 0]
        disagrees = [s for s in positioned if s.position < 0]
        assert len(agrees) >= 0.25 * len(positioned), actor
        assert len(disagrees) >= 0.2 * len(positioned), actor


def test_arbeiderpartiet_records_its_dissent_as_a_note(content):
    notes = [n for s in content.stances if s.actor == "ap" for n in s.notes]
    assert notes and all(n.label == "Dissens" for n in notes)
    assert all(n.lines[0] >= 96 and n.lines[1] <= 114 for n in notes)


def test_inferred_positions_are_marked_and_quoted(content):
    inferred = [s for s in content.stances if s.inferred]
    assert inferred, "conservative coding still infers some positions"
    assert all(s.quotes for s in inferred)


def test_every_bullet_of_the_documents_is_accounted_for(content):
    items = sum(1 for s in content.sources for b in s.document.blocks if b.kind == "item")
    covered = {(b.source, b.quote.span.start) for b in content.bullets}
    assert items >= 50 and len(covered) >= items


def test_every_quote_on_a_full_result_page_is_in_its_source(client, content):
    answers = [(s.id, str((i % 5) - 2)) for i, s in enumerate(content.statements)]
    query = urlencode(answers + [("important", content.statements[0].id)])
    response = client.get(f"/result?{query}")
    assert response.status_code == 200
    page = text_of(response)
    quotes = quotes_on(page)
    assert len(quotes) >= len(content.statements)
    checked = set()
    for quote, link, _ in quotes:
        if link in checked:
            continue
        checked.add(link)
        assert marked_passage(text_of(client.get(link.split("#")[0]))) == quote
    for actor in content.actors:
        assert actor.name in page
    assert "Partilag av Senterpartiet" in page and "Organisasjon, ikke et parti" in page


def test_an_actor_answering_as_itself_ranks_itself_first(client, content):
    for actor in content.actors:
        answers = {s.id: content.stance(actor.id, s.id).position for s in content.statements}
        response = client.post("/api/v1/match", json={"answers": answers})
        results = response.get_json()["results"]
        assert results[0]["score"] == 100.0
        assert actor.id in [r["actor"] for r in results if r["score"] == 100.0]


def test_the_readme_gives_the_bundled_quiz_figures(content):
    """The README states the figures by hand; this keeps them true to the content."""
    from quiz.app import REPO_ROOT
    from quiz.figures import content_figures

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    figures = content_figures(content, voters=100_000)
    total = len(content.stances)
    assert f"**{figures.statements} statements, {figures.splitting} of which split the actors**" in readme
    assert (f"Of the {total} positions, **{figures.explicit} are stated in the text, {figures.inferred} inferred\n"
            f"and {figures.none} \"none\"**") in readme
    shares = {a.short_name: f"{100 * share:.1f} %" for a, share in figures.uniform_shares}
    assert f"Senterpartiet for {shares['Sp']}" in readme and f"NPL {shares['NPL']}" in readme
    assert f"Arbeiderpartiet {shares['Ap']}, Venstre {shares['V']}" in readme
    assert f"Vestfold Sp\n{shares['Vestfold Sp']}" in readme


def test_the_derivation_map_applies_one_rule(content):
    """Every list item is covered by statements, or left out as uncontested or as a heading
    (docs/content-format.md, "The derivation rule"), with who addresses it."""
    for bullet in content.bullets:
        assert bullet.statements or bullet.left_out.startswith(("Uncontested: ", "Heading: ")), bullet.left_out
    left_out = [b.left_out for b in content.bullets if b.left_out]
    assert sum(r.startswith("Heading: ") for r in left_out) == 2
