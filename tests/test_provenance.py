"""Who answered: an actor's own answers (basis "self") beside positions we read from documents;
the pages and the audit say truthfully which, and every quote leads to the occurrence it was
taken from."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import settings
from page_text import marked_passage, quotes_on, text_of

from quiz import create_app
from quiz.cli import main
from quiz.loading import ContentError, load_content

MINI = Path(__file__).parent / "data" / "qualomat-mini"
DOCUMENTS_TEXT = "No actor filled in the quiz itself"


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as error:
        load_content(root)
    return [str(p) for p in error.value.problems]


@pytest.fixture
def election(tmp_path) -> Path:
    """The mini election with party 0 giving statements 0 and 1 the same justification, and
    party 1 an empty one ('""', as the open data has them) on statement 2."""
    copy = tmp_path / "election"
    shutil.copytree(MINI, copy)
    comments = json.loads((copy / "comment.json").read_text(encoding="utf-8"))
    by_id = {c["id"]: c for c in comments}
    by_id[1]["text"] = by_id[0]["text"]
    by_id[40]["text"] = '""'
    (copy / "comment.json").write_text(json.dumps(comments, ensure_ascii=False), encoding="utf-8")
    return copy


@pytest.fixture
def imported(election, tmp_path) -> Path:
    result = run("import", "qual-o-mat", election, "--out", tmp_path / "quiz")
    assert result.exit_code == 0, result.output
    assert "(2 without a justification)" in result.output  # the mini's own, and the '""'
    return tmp_path / "quiz"


def test_an_empty_justification_is_no_quote(imported):
    content = load_content(imported)
    assert all(q.text.strip('"„“ ') for s in content.stances for q in s.quotes)  # never «""»
    bare = [s for s in content.stances if s.position is not None and not s.quotes]
    assert len(bare) == 2 and all(s.basis == "self" for s in bare)


def test_a_repeated_justification_links_to_the_statement_it_was_given_for(imported):
    content = load_content(imported)
    cdu, (first, second) = content.actor_by_id["cdu-csu"], content.statements[:2]  # party 0
    one, two = content.stance(cdu.id, first.id).quotes[0], content.stance(cdu.id, second.id).quotes[0]
    assert one.text == two.text and one.span != two.span
    source = content.source_by_id[one.source].document
    for number, quote in ((1, one), (2, two)):  # each right after the answer line of its own statement
        answer_line = source.block_at(source.find(f"These {number} (").start)
        assert quote.lines[0] == answer_line.last_line + 2
    client = create_app(imported, settings(imported.parent)).test_client()
    page = text_of(client.get(f"/result?{first.id}=2&{second.id}=2&lang=en"))
    links = {link for text, link, _ in quotes_on(page) if text == one.text}
    assert len(links) == 2  # two quotes of one text, two places
    for link in links:
        marked = client.get(link.replace("&amp;", "&"))
        assert marked_passage(text_of(marked)) == one.text


def test_every_quote_of_the_2021_election_is_its_own_occurrence(tmp_path):
    full = Path(__file__).resolve().parents[2] / "shared" / "interop" / "qual-o-mat" / "2021-deutschland"
    if not full.exists():
        pytest.skip("the 2021 election lives in ../shared/")
    result = run("import", "qual-o-mat", full, "--out", tmp_path / "btw21")
    assert "(139 without a justification)" in result.output
    content = load_content(tmp_path / "btw21")
    for stance in content.stances:
        for quote in stance.quotes:
            number = [s.id for s in content.statements].index(stance.statement) + 1
            document = content.source_by_id[quote.source].document
            answer = document.find(f"These {number} (")
            assert quote.lines[0] == answer.last_line + 2, (stance.actor, stance.statement)
            assert quote.text.strip('"„“ ')


def test_the_pages_say_the_parties_answered_themselves(imported):
    client = create_app(imported, settings(imported.parent)).test_client()
    methodology = text_of(client.get("/methodology?lang=en"))
    assert "Every actor answered the statements itself" in methodology
    assert DOCUMENTS_TEXT not in methodology and "inferred" not in methodology
    assert "the ones the actors were asked and answered" in methodology and "bullet point" not in methodology
    assert "Answered itself" in methodology and "<th scope=\"col\">Stated</th>" not in methodology
    assert "the same answer gets full marks" in methodology.lower() and "Wahl-O-Mat" in methodology
    start = text_of(client.get("/?lang=en"))
    assert "from “disagree” to “agree”" in start and "the actors' own answers" in start
    assert "has written in its own documents" not in start
    content = load_content(imported)
    answers = "&".join(f"{s.id}=2" for s in content.statements)
    assert "its own answer" in text_of(client.get(f"/result?{answers}&lang=en"))


def test_a_quiz_of_documents_says_so(tiny_client):
    methodology = text_of(tiny_client.get("/methodology?lang=en"))
    assert DOCUMENTS_TEXT in methodology and "from “strongly disagree” to “strongly agree”" in methodology
    assert "every bullet point of the documents has been gone through" in methodology
    assert "Some positions are inferred" in methodology and "answered the statements" not in methodology
    assert "Answered itself" not in methodology
    assert "has written in its own documents" in text_of(tiny_client.get("/?lang=en"))


def test_where_actors_differ_the_pages_name_who_answered(tiny_dir, tmp_path):
    for position in ("-2", "2"):  # alpha answered itself on two statements, without a quote on one
        edit(tiny_dir, "stances/alpha.toml", f'position = {position}\nbasis = "explicit"',
             f'position = {position}\nbasis = "self"')
    edit(tiny_dir, "stances/alpha.toml",
         '[[stance.quotes]]\nsource = "alpha-program"\ntext = "Brukerrom skal finnes i alle byer."\n', "")
    client = create_app(tiny_dir, settings(tmp_path)).test_client()
    methodology = text_of(client.get("/methodology?lang=en"))
    assert "Alfa answered the statements themselves" in methodology
    assert "We placed Alfa, Beta, Gamma ourselves" in methodology  # alpha's third position is read ("explicit")
    assert re.search(r"Alfa .*?</th>\s*<td>2</td><td>1</td><td>0</td><td>0</td>", methodology, re.S)
    audit = run("audit", "--data", tiny_dir, "--voters", "200")
    assert "answered itself / stated in its documents / inferred / none" in audit.output
    assert re.search(r"Alfa\s+2 /\s+1 /\s+0 /\s+0", audit.output)


def test_only_an_actors_own_answer_stands_without_a_quote(tiny_dir):
    edit(tiny_dir, "stances/beta.toml",
         '[[stance.quotes]]\nsource = "beta-uttalelse"\ntext = "Beholde straffen for bruk av narkotika."\n', "")
    assert any("stance straff: a position needs at least one quote" in p for p in problems(tiny_dir))
    edit(tiny_dir, "stances/beta.toml", 'position = 2\nbasis = "explicit"', 'position = 2\nbasis = "self"')
    assert load_content(tiny_dir).stance("beta", "straff").quotes == ()


def test_an_empty_quote_is_refused_even_for_an_own_answer(tiny_dir):
    edit(tiny_dir, "stances/beta.toml", 'position = 2\nbasis = "explicit"', 'position = 2\nbasis = "self"')
    edit(tiny_dir, "stances/beta.toml", 'text = "Beholde straffen for bruk av narkotika."', 'text = ""')
    assert any("stance straff quotes #1: 'text' must be a non-empty str" in p for p in problems(tiny_dir))


def test_a_quote_that_occurs_twice_needs_its_lines(tiny_dir):
    # "straff" is on line 3 ("straff ikke virker") and line 4 ("straff for alle") of alpha.txt
    edit(tiny_dir, "stances/alpha.toml", 'text = "Vi vil ha hjelp i stedet for straff for alle som bruker narkotika."',
         'text = "straff"')
    found = problems(tiny_dir)
    assert any("stance straff quotes #1: quote occurs 2 times in alpha-program (line 3, line 4): "
               "say which with lines = [first, last]" in p for p in found), found
    edit(tiny_dir, "stances/alpha.toml", 'text = "straff"', 'text = "straff ikke"')
    assert load_content(tiny_dir)  # once only: no lines needed
    edit(tiny_dir, "stances/alpha.toml", 'text = "straff ikke"', 'text = "Alfa mener at straff"\nlines = [4, 4]')
    assert any("quote not found in alpha-program within line 4" in p for p in problems(tiny_dir))


def test_lines_pick_the_occurrence_and_the_link_highlights_it(tiny_dir, tmp_path):
    # "alle" is on line 4 ("for alle som bruker") and line 7 ("Brukerrom skal finnes i alle")
    edit(tiny_dir, "stances/alpha.toml", 'text = "Vi vil ha hjelp i stedet for straff for alle som bruker narkotika."',
         'text = "alle"\nlines = [7, 8]')
    quote = load_content(tiny_dir).stance("alpha", "straff").quotes[0]
    assert quote.lines == (7, 7)
    client = create_app(tiny_dir, settings(tmp_path)).test_client()
    page = client.get("/result?straff=-2&lang=en").get_data(as_text=True)
    link = next(link for text, link, _ in quotes_on(page) if text == "alle")
    source = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "Brukerrom skal finnes i <mark>alle</mark> byer." in source and source.count("<mark>") == 1


@pytest.mark.parametrize("lines", ["[5]", "[3, 2]", '["a", "b"]', "[0, 1]", "4"])
def test_malformed_lines_are_refused(tiny_dir, lines):
    edit(tiny_dir, "stances/alpha.toml", 'text = "Brukerrom skal finnes i alle byer."',
         f'text = "Brukerrom skal finnes i alle byer."\nlines = {lines}')
    assert any("'lines' must be [first, last]" in p for p in problems(tiny_dir))


def test_a_repeated_justification_that_looks_like_a_list_item_imports(tmp_path):
    election = tmp_path / "election"
    shutil.copytree(MINI, election)
    comments = json.loads((election / "comment.json").read_text(encoding="utf-8"))
    for comment in comments[:2]:  # party 0, statements 0 and 1
        comment["text"] = "• Wir lehnen das ab."
    (election / "comment.json").write_text(json.dumps(comments, ensure_ascii=False), encoding="utf-8")
    result = run("import", "qual-o-mat", election, "--out", tmp_path / "quiz")
    assert result.exit_code == 0, result.output
    content = load_content(tmp_path / "quiz")
    quotes = [content.stance("cdu-csu", s.id).quotes[0] for s in content.statements[:2]]
    assert [q.text for q in quotes] == ["Wir lehnen das ab."] * 2 and quotes[0].lines != quotes[1].lines
    assert len([b for b in content.bullets if b.source == "cdu-csu"]) == 2  # each list item accounted for once
