"""Adding a document to a quiz: text from plain text, PDF or HTML, stored raw beside the others.

The extracted text is stored as it comes (``sources/<id>.txt``); cleaning happens when content
is loaded (:mod:`quiz.ingest`), exactly as for the bundled sources, so a quote is always checked
against the same clean text. Adding the same document again changes nothing; adding a changed
one replaces the text and reports every quote that no longer matches it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import tomli_w

from quiz.content_files import ID_PATTERN
from quiz.loading import ContentError, load_content
from quiz.model import SOURCE_KINDS

SKIPPED_TAGS = {"script", "style", "nav", "header", "footer", "form", "noscript", "template", "svg", "aside"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "blockquote", "tr", "table", "ul", "ol", "h1", "h2", "h3",
              "h4", "h5", "h6", "dl", "dt", "dd", "figure", "figcaption", "pre"}
NUMBERED_LINE = re.compile(r"\s(\d{1,4})\s*$")
SOURCE_KEYS = ("id", "file", "title", "actor", "kind", "language", "line_numbers", "url")


class DocumentError(ValueError):
    """The document cannot be added; the message says why."""


@dataclass
class AddReport:
    source_id: str
    status: str  # "added", "unchanged" or "replaced"
    line_numbers: bool
    problems: list[str] = field(default_factory=list)  # what is wrong with this source (broken quotes)
    todos: list[str] = field(default_factory=list)  # what is left to do for it (unaccounted list items)
    other_problems: int = 0  # problems elsewhere in the quiz (a new quiz has many until it is written)
    created_actor: bool = False  # stances/<actor>.toml did not exist: a stub was written


class _TextOfHtml(HTMLParser):
    """Visible text of a page: blocks on lines of their own, list items as "• " lines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skipping = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "li":
            self.parts.append("\n• ")
        elif tag in BLOCK_TAGS or tag == "br":
            self.parts.append("\n\n" if tag in BLOCK_TAGS else "\n")

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in BLOCK_TAGS or tag == "li":
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        elif not self._skipping:
            self.parts.append(data)


def html_text(markup: str) -> tuple[str, str | None]:
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    title = " ".join("".join(parser.title).split()) or None
    return text + "\n", title


def pdf_text(path: Path) -> tuple[str, str | None]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except (PdfReadError, ValueError, KeyError, OSError) as error:
        raise DocumentError(f"{path}: not a readable PDF ({error})") from error
    text = "\n".join(pages)
    if not text.strip():
        raise DocumentError(f"{path}: the PDF has no extractable text (a scanned document? run OCR first)")
    return text.rstrip("\n") + "\n", title


def plain_text(path: Path) -> tuple[str, str | None]:
    raw = path.read_bytes()
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            return raw.decode(encoding), None
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        raise DocumentError(f"{path}: not UTF-8 text (convert it first, e.g. iconv -t utf-8)") from error


def extract(path: Path) -> tuple[str, str | None, str]:
    """(text, title or None, default kind) of a .txt, .pdf or .html document."""
    if not path.is_file():
        raise DocumentError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".pdf" or path.read_bytes()[:5] == b"%PDF-":
        text, title = pdf_text(path)
        return text, title, "party-programme"
    if suffix in (".html", ".htm"):
        text, title = html_text(plain_text(path)[0])
        return text, title, "web-page"
    text, _ = plain_text(path)
    return text, None, "party-programme"


def has_document_line_numbers(text: str) -> bool:
    """Whether most lines end with the document's own, increasing line number (as in many PDFs)."""
    lines = [line for line in text.splitlines() if line.strip()]
    numbers = [int(m.group(1)) for line in lines if (m := NUMBERED_LINE.search(line))]
    if len(lines) < 5 or len(numbers) < 0.7 * len(lines):
        return False
    rising = sum(1 for a, b in zip(numbers, numbers[1:]) if b > a)
    return rising >= 0.8 * (len(numbers) - 1)


def _read_sources(data_dir: Path) -> list[dict]:
    """The quiz's ``[[source]]`` entries; none yet in a new quiz (the file is written on the first add)."""
    if not data_dir.is_dir():
        raise DocumentError(f"{data_dir}: no such directory (make the quiz's directory first)")
    path = data_dir / "sources" / "sources.toml"
    try:
        with path.open("rb") as f:
            return list(tomllib.load(f).get("source", []))
    except FileNotFoundError:
        return []
    except tomllib.TOMLDecodeError as error:
        raise DocumentError(f"{path}: not valid TOML: {error}") from error


def add_source(data_dir: Path, path: Path, actor: str, *, source_id: str | None = None, title: str | None = None,
               kind: str | None = None, language: str = "nb", url: str | None = None) -> AddReport:
    """Add (or replace) document ``path`` as a source of ``actor`` in the quiz at ``data_dir``."""
    data_dir, path = Path(data_dir), Path(path)
    sources = _read_sources(data_dir)
    if not ID_PATTERN.fullmatch(actor):
        raise DocumentError(f"actor id {actor!r}: use lowercase letters, digits and hyphens")
    source_id = source_id or f"{actor}-{re.sub(r'[^a-z0-9]+', '-', path.stem.lower()).strip('-')}"
    if not ID_PATTERN.fullmatch(source_id):
        raise DocumentError(f"source id {source_id!r}: use lowercase letters, digits and hyphens")
    if kind is not None and kind not in SOURCE_KINDS:
        raise DocumentError(f"kind {kind!r}: use one of {', '.join(SOURCE_KINDS)}")
    text, found_title, default_kind = extract(path)
    if not text.strip():
        raise DocumentError(f"{path}: the document is empty")
    numbered = has_document_line_numbers(text)
    existing = next((s for s in sources if s.get("id") == source_id), None)
    target = data_dir / "sources" / (existing.get("file", f"{source_id}.txt") if existing else f"{source_id}.txt")
    if existing and target.exists() and target.read_text(encoding="utf-8") == text:
        report = AddReport(source_id, "unchanged", numbered)
    else:
        entry = {"id": source_id, "file": target.name,
                 "title": title or (existing or {}).get("title") or found_title or _first_line(text),
                 "actor": actor, "kind": kind or (existing or {}).get("kind") or default_kind,
                 "language": language, "line_numbers": "document" if numbered else None, "url": url}
        entry = {k: entry[k] for k in SOURCE_KEYS if entry.get(k) is not None}
        target.parent.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")
        sources = [entry if s is existing else s for s in sources] if existing else [*sources, entry]
        (data_dir / "sources" / "sources.toml").write_text(tomli_w.dumps({"source": sources}), encoding="utf-8")
        report = AddReport(source_id, "replaced" if existing else "added", numbered)
    report.created_actor = _add_to_actor(data_dir, actor, source_id)
    try:  # again when unchanged: a second run must still say what the first one found
        load_content(data_dir)
    except ContentError as error:
        mine = [p for p in error.problems if source_id in str(p)]
        report.problems = [str(p) for p in mine if not p.todo]
        report.todos = [str(p) for p in mine if p.todo]  # not wrong, not done yet: mapping its list items
        report.other_problems = len(error.problems) - len(mine)
    return report


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "Untitled")[:120]


def _add_to_actor(data_dir: Path, actor: str, source_id: str) -> bool:
    """List the source among the actor's sources (its quotes may come from it).

    A new actor gets a stub ``stances/<actor>.toml`` to complete (returns True); a file without a
    ``sources`` line gets one before its first table, where TOML's top-level keys must be.
    """
    path = data_dir / "stances" / f"{actor}.toml"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"# Who the actor is and a [[stance]] per statement: see docs/content-format.md\n"
                        f"{tomli_w.dumps({'id': actor, 'sources': [source_id]})}", encoding="utf-8")
        return True
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    if source_id in data.get("sources", []):
        return False
    line = tomli_w.dumps({"sources": [*data.get("sources", []), source_id]}).strip()
    listed = re.compile(r"(?m)^sources\s*=\s*\[[^\]]*\]")
    if listed.search(text):
        text = listed.sub(lambda _: line, text, count=1)
    else:
        first_table = re.search(r"(?m)^\[", text)
        at = first_table.start() if first_table else len(text)
        text = f"{text[:at]}{'' if at == 0 or text[at - 1] == chr(10) else chr(10)}{line}\n{text[at:]}"
    path.write_text(text, encoding="utf-8")
    return False
