"""The open Wahl-O-Mat data format (qual-o-mat-data JSON) in and out of our content format.

Import: each party becomes an actor whose positions are its own answers (basis "self"), and
its answers and justifications become its source document, each justification quoted
verbatim with its line, so that the engine serves the election unchanged and ``quiz audit``
runs on it. An answer without a justification has no quote. The quiz is on the three-point
scale: answer ids 0 = agree → +2, 1 = disagree → −2, 2 = neutral → 0, and our score equals
the Wahl-O-Mat rule. A party that gave no opinion has position "none".
Export writes our content back in that schema; five-point positions collapse to three.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import tomli_w

from quiz.colours import distinct_colour
from quiz.ingest import clean_document, normalise_whitespace
from quiz.model import Content

FILES = ("overview", "party", "statement", "answer", "opinion", "comment")
POSITION_OF_ANSWER = {0: 2, 1: -2, 2: 0}
ANSWER_LABEL = {0: "Stimme zu", 1: "Stimme nicht zu", 2: "Neutral"}
DEFAULT_TOPIC = "wahl-o-mat"


class InteropError(ValueError):
    """The input cannot be converted; the message names the file and entry."""


@dataclass
class ImportReport:
    parties: int = 0
    statements: int = 0
    stances: int = 0
    empty_comments: int = 0
    dropped: list[str] = field(default_factory=list)


def slug(text: str, taken: set[str]) -> str:
    """A unique id of lowercase letters, digits and hyphens ("CDU / CSU" → "cdu-csu")."""
    spelled = text.translate(str.maketrans({"ß": "ss", "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O"}))
    ascii_text = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-") or "x"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def read_election(directory: Path) -> dict[str, object]:
    if not directory.is_dir():
        raise InteropError(f"{directory}: not a directory")
    data = {}
    for name in FILES:
        path = directory / f"{name}.json"
        try:
            data[name] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise InteropError(f"{path}: file is missing") from error
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise InteropError(f"{path}: not valid JSON: {error}") from error
    for name in FILES[1:]:
        if not isinstance(data[name], list) or not all(isinstance(x, dict) and "id" in x for x in data[name]):
            raise InteropError(f"{directory / (name + '.json')}: expected a list of objects with an 'id'")
    return data


def _answer_line(number: int, label: str, answer: int) -> str:
    """The unique line that records a party's answer; quoted when it gave no justification."""
    return f"These {number} ({label}): {ANSWER_LABEL.get(answer, str(answer))}"


def justification(text: str) -> str:
    """A party's justification, whitespace normalised; "" when it says nothing (empty, or only
    quotation marks and punctuation, as the '""' of some elections' data)."""
    text = normalise_whitespace(text)
    return text if any(ch.isalnum() for ch in text) else ""


def _opinions(data: dict) -> dict[tuple[int, int], tuple[int, str]]:
    """(party id, statement id) → (answer id, comment text), checked against the other files."""
    comments = {c["id"]: justification(str(c.get("text") or "")) for c in data["comment"]}
    parties, statements = {p["id"] for p in data["party"]}, {s["id"] for s in data["statement"]}
    found = {}
    for opinion in data["opinion"]:
        key = (opinion.get("party"), opinion.get("statement"))
        if key[0] not in parties or key[1] not in statements:
            raise InteropError(f"opinion.json: opinion {opinion.get('id')} names an unknown party or statement")
        if opinion.get("answer") not in POSITION_OF_ANSWER:
            raise InteropError(f"opinion.json: opinion {opinion.get('id')} has unknown answer {opinion.get('answer')}")
        comment = opinion.get("comment")
        if comment is not None and comment not in comments:
            raise InteropError(f"opinion.json: opinion {opinion.get('id')} names unknown comment {comment}")
        found[key] = (opinion["answer"], comments.get(comment, ""))
    return found


def import_qualomat(election: Path, out: Path, force: bool = False) -> ImportReport:
    """Write ``election`` (a qual-o-mat-data directory) as a quiz data directory ``out``."""
    data = read_election(Path(election))
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not force:
            raise InteropError(f"{out}: not empty (use --force to replace it)")
        shutil.rmtree(out)
    opinions = _opinions(data)
    party_ids: set[str] = set()
    parties = [(p, slug(str(p.get("name") or p["id"]), party_ids)) for p in data["party"]]
    statement_ids: set[str] = set()
    statements = [(s, slug(str(s.get("label") or s["text"]), statement_ids)) for s in data["statement"]]
    kept, report = _keep_discriminating(statements, parties, opinions)
    for folder in ("sources", "questions", "stances"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    _write_quiz_toml(out, data["overview"])
    quotes, answer_lines = _write_sources(out, parties, kept, opinions)
    _write_statements(out, kept, parties, quotes, answer_lines)
    report.empty_comments = _write_stances(out, parties, kept, opinions, quotes, report)
    _write_derivation(out, parties)
    report.parties, report.statements = len(parties), len(kept)
    return report


def _keep_discriminating(statements, parties, opinions) -> tuple[list, ImportReport]:
    """Statements our validator would refuse (fewer than two positions, or all alike) are dropped."""
    report, kept = ImportReport(), []
    for statement, sid in statements:
        keys = [(p["id"], statement["id"]) for p, _ in parties]
        answers = [opinions[key][0] for key in keys if key in opinions]
        if len(answers) < 2 or len(set(answers)) < 2:
            report.dropped.append(sid)
        else:
            kept.append((statement, sid))
    return kept, report


def _write_quiz_toml(out: Path, overview: dict) -> None:
    title = str(overview.get("title") or "Wahl-O-Mat")
    date = str(overview.get("date") or "")
    info = {
        "id": slug(str(overview.get("slug") or title), set()),
        "title": f"Wahl-O-Mat: {title} {date[:4]}".strip(),
        "intro": ("Diese Fassung wurde aus den offenen Wahl-O-Mat-Daten der Bundeszentrale für politische "
                  "Bildung (über qual-o-mat-data) umgewandelt. Die Positionen sind die eigenen Antworten und "
                  "Begründungen der Parteien."),
        "intro_en": ("Converted from the open Wahl-O-Mat data of the Federal Agency for Civic Education (via "
                     "qual-o-mat-data). The positions are the parties' own answers and justifications."),
        "publisher": "Bundeszentrale für politische Bildung (Daten), konvertiert mit quiz import qual-o-mat",
        "language": "de",
        # Written out, so an editor sees where to change them: German, and English for the intro above.
        "languages": ["de", "en"],
        "default_language": "de",
        "scale": 3,  # Wahl-O-Mat's: agree, neutral, disagree
        # Kept for the way back (quiz export-content --format qual-o-mat); the loader ignores them.
        "qualomat": {k: str(overview.get(k) or "") for k in ("title", "date", "info", "slug", "data_source")},
    }
    (out / "quiz.toml").write_text(tomli_w.dumps(info), encoding="utf-8")


def _passage(text: str, index: int) -> dict:
    """A quote of the ``index``-th paragraph of a written source, with its line (see :func:`_write_sources`)."""
    return {"text": text, "lines": [2 * index + 1, 2 * index + 1]}


def _write_sources(out: Path, parties, kept, opinions) -> tuple[dict, dict]:
    """One document per party: its answer line and justification for every statement.

    Returns the justification (quote) and the answer line of each (party, statement), each with
    the line it is on: a party may give the same justification to several statements, and a
    quote must lead to the one it was given for."""
    quotes, answer_lines, sources = {}, {}, []
    for party, pid in parties:
        lines = [f"Wahl-O-Mat: Antworten und Begründungen von {party.get('longname') or party.get('name')}"]
        for number, (statement, _) in enumerate(kept, start=1):
            key = (party["id"], statement["id"])
            if key not in opinions:
                continue
            answer, comment = opinions[key]
            answer_lines[key] = {"source": pid, **_passage(
                _answer_line(number, str(statement.get("label") or statement["text"]), answer), len(lines))}
            lines.append(answer_lines[key]["text"])
            if comment:
                # Quoted as the clean text holds it: a justification that starts like a list item loses its bullet.
                quotes[key] = {"source": pid, **_passage(clean_document(comment).blocks[0].text, len(lines))}
                lines.append(comment)
        # Blank lines between all lines: each answer line and justification is a paragraph of its own.
        (out / "sources" / f"{pid}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        sources.append({"id": pid, "file": f"{pid}.txt", "title": lines[0], "actor": pid,
                        # A party's answers in an online questionnaire: the closest of our kinds.
                        "kind": "web-page", "language": "de"})
    (out / "sources" / "sources.toml").write_text(tomli_w.dumps({"source": sources}), encoding="utf-8")
    return quotes, answer_lines


def _write_statements(out: Path, kept, parties, quotes, answer_lines) -> None:
    categories = {str(s["category"]) for s, _ in kept if s.get("category") is not None}
    topics = [{"id": slug(c, set()), "name": c} for c in sorted(categories)] or \
        [{"id": DEFAULT_TOPIC, "name": "Wahl-O-Mat"}]
    statements = []
    for statement, sid in kept:
        # The first party's justification of the statement, else the first recorded answer to it.
        keys = [(p["id"], statement["id"]) for p, _ in parties]
        quoted = next((quotes[k] for k in keys if k in quotes), None) or next(answer_lines[k] for k in keys
                                                                              if k in answer_lines)
        category = statement.get("category")
        statements.append({"id": sid, "topic": slug(str(category), set()) if category is not None else DEFAULT_TOPIC,
                           "text": str(statement["text"]), "label": str(statement.get("label") or ""),
                           "derived_from": [{"source": quoted["source"], "quote": quoted["text"],
                                             "lines": quoted["lines"]}]})
    (out / "questions" / "statements.toml").write_text(tomli_w.dumps({"topic": topics, "statement": statements}),
                                                         encoding="utf-8")


def _write_stances(out: Path, parties, kept, opinions, quotes, report: ImportReport) -> int:
    empty = 0
    for index, (party, pid) in enumerate(parties):
        stances = []
        for statement, sid in kept:
            key = (party["id"], statement["id"])
            if key not in opinions:
                stances.append({"statement": sid, "position": "none",
                                "rationale": "Die Partei hat diese These im Wahl-O-Mat nicht beantwortet."})
                continue
            answer, _ = opinions[key]
            # The party answered itself; its justification, if it gave one, is the quote.
            stance = {"statement": sid, "position": POSITION_OF_ANSWER[answer], "basis": "self",
                      "rationale": f"Die Partei hat im Wahl-O-Mat „{ANSWER_LABEL[answer]}“ geantwortet."}
            if key in quotes:
                stance["quotes"] = [quotes[key]]
            else:
                empty += 1
            stances.append(stance)
            report.stances += 1
        actor = {"id": pid, "name": str(party.get("longname") or party.get("name")),
                 "short_name": str(party.get("name") or pid), "kind": "party",
                 "colour": distinct_colour(index, len(parties)), "sources": [pid], "stance": stances}
        (out / "stances" / f"{pid}.toml").write_text(tomli_w.dumps(actor), encoding="utf-8")
    return empty


def _write_derivation(out: Path, parties) -> None:
    """Account for any line a justification happens to start with a bullet (usually none)."""
    bullets = []
    for _, pid in parties:
        document = clean_document((out / "sources" / f"{pid}.txt").read_text(encoding="utf-8"))
        bullets += [{"source": pid, "quote": block.text, "lines": [block.first_line, block.last_line],
                     "left_out": "part of an imported justification, not a list of positions"}
                    for block in document.blocks if block.kind == "item"]
    (out / "questions" / "derivation.toml").write_text(tomli_w.dumps({"bullet": bullets}), encoding="utf-8")


def export_qualomat(content: Content, data_dir: Path, out: Path) -> None:
    """Write ``content`` in the qual-o-mat-data schema (positions collapse to agree/disagree/neutral)."""
    out.mkdir(parents=True, exist_ok=True)
    with (Path(data_dir) / "quiz.toml").open("rb") as f:
        kept = tomllib.load(f).get("qualomat", {})
    # A quiz of ours has no election date or web page: the export date and a URN stand in (the
    # schema wants a date and URIs); an imported election keeps its own.
    urn = f"urn:valgomat:{content.info.id}:{content.version}"
    overview = {"title": kept.get("title") or content.info.title,
                "date": kept.get("date") or datetime.now(UTC).date().isoformat(),
                "info": kept.get("info") or urn, "slug": kept.get("slug") or urn,
                "data_source": kept.get("data_source") or urn}
    topics = {t.id: i for i, t in enumerate(content.topics)}
    parties = [{"id": i, "name": a.short_name, "longname": a.name} for i, a in enumerate(content.actors)]
    statements = [{"id": j, "category": topics.get(s.topic) if len(content.topics) > 1 else None,
                   "label": s.text[:60], "text": s.text} for j, s in enumerate(content.statements)]
    opinions, comments = [], []
    for i, actor in enumerate(content.actors):
        for j, statement in enumerate(content.statements):
            stance = content.stance(actor.id, statement.id)
            if stance is None or stance.position is None:
                continue
            answer = 0 if stance.position > 0 else 1 if stance.position < 0 else 2
            comments.append({"id": len(comments), "text": stance.quotes[0].text if stance.quotes else ""})
            opinions.append({"id": len(opinions), "party": i, "statement": j, "answer": answer,
                             "comment": comments[-1]["id"]})
    files = {"overview": overview, "party": parties, "statement": statements,
             "answer": [{"id": k, "message": v} for k, v in ANSWER_LABEL.items()],
             "opinion": opinions, "comment": comments,
             "category": [{"id": i, "label": t.name} for t, i in ((t, topics[t.id]) for t in content.topics)]}
    for name, value in files.items():
        (out / f"{name}.json").write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")
