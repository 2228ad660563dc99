"""quiz sources add: text, HTML and PDF documents become sources; re-adding is idempotent, and a
changed document reports the quotes that no longer match."""

from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner

from quiz.cli import main
from quiz.documents import has_document_line_numbers, html_text
from quiz.loading import load_content


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def minimal_pdf(lines: list[str], title: str = "Gammas program") -> bytes:
    """A one-page PDF with text lines in Helvetica (WinAnsi covers æ, ø and å)."""
    stream = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(
        f"({line.replace('(', '[').replace(')', ']')}) '" for line in lines) + " ET"
    content = stream.encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + title.encode("cp1252") + b") >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_add_plain_text(tiny_dir, tmp_path):
    document = tmp_path / "nytt notat.txt"
    document.write_text("Gammas nye notat\n\nGamma mener at politiet trenger flere folk i skolene.\n", encoding="utf-8")
    result = run("sources", "add", document, "--actor", "gamma", "--data", tiny_dir)
    assert result.exit_code == 0, result.output
    assert "gamma-nytt-notat: added." in result.output
    content = load_content(tiny_dir)
    source = content.source_by_id["gamma-nytt-notat"]
    assert source.title == "Gammas nye notat" and source.actor == "gamma"
    assert source.document.find("Gamma mener at politiet trenger flere folk i skolene.") is not None
    assert "gamma-nytt-notat" in content.actor_by_id["gamma"].sources


def test_adding_the_same_document_again_changes_nothing(tiny_dir, tmp_path):
    document = tmp_path / "nytt-notat.txt"
    document.write_text("Gamma mener at politiet trenger flere folk.\n", encoding="utf-8")
    run("sources", "add", document, "--actor", "gamma", "--data", tiny_dir)
    before = {p: p.read_bytes() for p in (tiny_dir / "sources").iterdir()}
    result = run("sources", "add", document, "--actor", "gamma", "--data", tiny_dir)
    assert result.exit_code == 0 and "unchanged" in result.output
    assert before == {p: p.read_bytes() for p in (tiny_dir / "sources").iterdir()}


def test_a_changed_document_reports_the_quotes_that_no_longer_match(tiny_dir, tmp_path):
    document = tmp_path / "gamma.txt"
    document.write_text("Gamma er en organisasjon. Gamma har endret mening om alt.\n", encoding="utf-8")
    result = run("sources", "add", document, "--actor", "gamma", "--id", "gamma-notat", "--data", tiny_dir)
    assert result.exit_code == 1
    assert "gamma-notat: replaced." in result.output
    assert "stances/gamma.toml: stance ransaking quotes #1: quote not found verbatim in gamma-notat" in result.output
    assert (tiny_dir / "sources" / "gamma.txt").read_text(encoding="utf-8").startswith("Gamma er en organisasjon.")


def test_add_html_keeps_the_words_and_drops_the_chrome(tiny_dir, tmp_path):
    page = tmp_path / "side.html"
    page.write_text("""<!doctype html><html><head><title>Gamma om politiet</title><style>p{}</style></head><body>
        <nav><a href="/">Hjem</a> <a href="/om">Om oss</a></nav>
        <header>Toppmeny</header>
        <main><h1>Gamma om politiet</h1>
        <p>Gamma mener at politiet trenger &laquo;flere&raquo; folk &amp; bedre utstyr.<br>Det haster.</p>
        <ul><li>Flere politifolk i skolene</li><li>Mer forebygging<ul><li>særlig blant unge</li></ul></li></ul>
        </main><script>alert("x")</script><footer>Kontakt oss</footer></body></html>""", encoding="utf-8")
    result = run("sources", "add", page, "--actor", "gamma", "--data", tiny_dir)
    assert result.exit_code == 0  # its list items are not yet in the derivation map: a to-do, not an error
    assert "To do for this source (3)" in result.output
    assert "list item not accounted for" in result.output and "Flere politifolk i skolene" in result.output
    text = (tiny_dir / "sources" / "gamma-side.txt").read_text(encoding="utf-8")
    assert "Gamma mener at politiet trenger «flere» folk & bedre utstyr.\nDet haster." in text
    assert "• Flere politifolk i skolene" in text and "særlig blant unge" in text
    for chrome in ("Hjem", "Toppmeny", "alert", "Kontakt oss", "p{}"):
        assert chrome not in text
    entry = next(s for s in tomllib.loads((tiny_dir / "sources" / "sources.toml").read_text())["source"]
                 if s["id"] == "gamma-side")
    assert entry["title"] == "Gamma om politiet" and entry["kind"] == "web-page"


def test_add_pdf(tiny_dir, tmp_path):
    pdf = tmp_path / "program.pdf"
    pdf.write_bytes(minimal_pdf(["Gammas program for 2027", "Gamma vil ha flere politifolk på skolene."]))
    result = run("sources", "add", pdf, "--actor", "gamma", "--data", tiny_dir)
    assert result.exit_code == 0, result.output
    content = load_content(tiny_dir)
    source = content.source_by_id["gamma-program"]
    assert source.title == "Gammas program" and source.kind == "party-programme"
    assert source.document.find("Gamma vil ha flere politifolk på skolene.") is not None


def test_document_line_numbers_are_detected():
    numbered = "".join(f"Linje med tekst nummer {n} {n}\n" for n in range(1, 12))
    assert has_document_line_numbers(numbered)
    assert not has_document_line_numbers("Tekst uten nummer.\nMer tekst her.\nOg her.\nOg så.\nSlutt.\n")


@pytest.mark.parametrize("setup, args, fragment", [
    ("none", ["--actor", "gamma"], "no such file"),
    ("txt", ["--actor", "No Body"], "actor id 'No Body'"),
    ("txt", ["--actor", "gamma", "--id", "Bad Id"], "use lowercase letters"),
    ("txt", ["--actor", "gamma", "--kind", "novel"], "Invalid value for '--kind'"),
    ("empty", ["--actor", "gamma"], "the document is empty"),
    ("latin1", ["--actor", "gamma"], "not UTF-8"),
    ("badpdf", ["--actor", "gamma"], "not a readable PDF"),
    ("scanned", ["--actor", "gamma"], "no extractable text"),
])
def test_errors(tiny_dir, tmp_path, setup, args, fragment):
    document = tmp_path / ("doc.pdf" if "pdf" in setup or setup == "scanned" else "doc.txt")
    if setup == "txt":
        document.write_text("Tekst.\n", encoding="utf-8")
    elif setup == "empty":
        document.write_text(" \n\n", encoding="utf-8")
    elif setup == "latin1":
        document.write_bytes("Blåbær og rødvin.\n".encode("latin-1"))
    elif setup == "badpdf":
        document.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    elif setup == "scanned":
        document.write_bytes(minimal_pdf([]))
    result = run("sources", "add", document, *args, "--data", tiny_dir)
    assert result.exit_code in (1, 2) and fragment in result.output, result.output


def test_a_new_quiz_starts_with_sources_add(tmp_path):
    quiz, document = tmp_path / "quiz", tmp_path / "doc.txt"
    document.write_text("Deltas program\n\nDelta vil ha flere brukerrom.\n", encoding="utf-8")
    assert "no such directory" in run("sources", "add", document, "--actor", "delta", "--data", quiz).output
    quiz.mkdir()
    result = run("sources", "add", document, "--actor", "delta", "--data", quiz)
    assert result.exit_code == 0, result.output
    assert "delta-doc: added." in result.output and "stances/delta.toml: created" in result.output
    assert "other to-do(s) or problem(s) in the quiz" in result.output  # no quiz.toml, statements... yet
    sources = tomllib.loads((quiz / "sources" / "sources.toml").read_text(encoding="utf-8"))["source"]
    assert [(s["id"], s["actor"], s["title"]) for s in sources] == [("delta-doc", "delta", "Deltas program")]
    actor = tomllib.loads((quiz / "stances" / "delta.toml").read_text(encoding="utf-8"))
    assert actor == {"id": "delta", "sources": ["delta-doc"]}


def test_an_actor_file_without_a_sources_line_gets_one(tiny_dir, tmp_path):
    stances = tiny_dir / "stances" / "gamma.toml"
    text = stances.read_text(encoding="utf-8")
    stances.write_text("\n".join(line for line in text.splitlines() if not line.startswith("sources")) + "\n",
                       encoding="utf-8")
    document = tmp_path / "ny.txt"
    document.write_text("Gamma mener at politiet trenger flere folk.\n", encoding="utf-8")
    assert run("sources", "add", document, "--actor", "gamma", "--data", tiny_dir).exit_code in (0, 1)
    assert tomllib.loads(stances.read_text(encoding="utf-8"))["sources"] == ["gamma-ny"]


def test_a_second_run_still_reports_what_the_first_found(tiny_dir, tmp_path):
    document = tmp_path / "gamma.txt"
    document.write_text("Gamma er en organisasjon. Gamma har endret mening om alt.\n", encoding="utf-8")
    first = run("sources", "add", document, "--actor", "gamma", "--id", "gamma-notat", "--data", tiny_dir)
    second = run("sources", "add", document, "--actor", "gamma", "--id", "gamma-notat", "--data", tiny_dir)
    assert first.exit_code == second.exit_code == 1
    assert "gamma-notat: unchanged." in second.output and "quote not found verbatim" in second.output


def test_html_text_entities_and_breaks():
    text, title = html_text("<title> T </title><p>a&nbsp;b<br/>c</p><ol><li>én</li></ol>")
    assert title == "T" and "a b\nc" in text and "• én" in text
