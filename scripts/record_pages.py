"""Record what voters read on random result pages, and compare a later version of the app with it.

    python scripts/record_pages.py record /tmp/pages.json [--pages 320]
    python scripts/record_pages.py compare /tmp/pages.json

Used when a page's rendering changes but what it says must not: ``record`` runs today's code
on random ballots of the bundled quiz and of the small imported Wahl-O-Mat quiz
(``tests/data/qualomat-mini``, imported as the tests do), in both languages, with skips,
important statements, chosen actors and a partner, and stores each page's text (tags and
whitespace stripped). ``compare`` renders the same URLs with the code checked out now and
reports, over all pages, which text changed: first whether the whole text is identical, then
the text pieces (between tags) added, gone, or shown fewer times, counted over all pages, so
that a moved section or a new label shows up once with its count instead of once per page.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402

from quiz import create_app  # noqa: E402
from quiz.cli import main as cli  # noqa: E402

MINI = ROOT / "tests" / "data" / "qualomat-mini"
PARTNER = 'id = "demo-avis"\nname = "Demoavisa"\norigins = ["https://avis.example.no"]\n'
TAG = re.compile(r"<[^>]*>")
INVISIBLE = re.compile(r"<(script|style|title)\b.*?</\1>", re.S)


def texts(page: str) -> list[str]:
    """The page's text pieces between tags, entities decoded and whitespace collapsed."""
    page = INVISIBLE.sub(" ", page)
    pieces = (" ".join(html.unescape(piece).split()) for piece in TAG.split(page))
    return [piece for piece in pieces if piece]


def apps(workdir: Path) -> dict:
    """The bundled quiz and the imported mini election, each with a partner configured."""
    partners = workdir / "partners.toml"
    partners.write_text("[[partner]]\n" + PARTNER, encoding="utf-8")
    imported = workdir / "mini"
    if not imported.exists():
        result = CliRunner().invoke(cli, ["import", "qual-o-mat", str(MINI), "--out", str(imported)])
        assert result.exit_code == 0, result.output
    made = {}
    for name, data in (("bundled", ROOT), ("mini", imported)):
        made[name] = create_app(data, {"TESTING": True, "SECRET_KEY": "record", "QUIZ_PARTNERS": str(partners),
                                       "DATABASE_URL": f"sqlite:///{workdir / name}.sqlite3",
                                       "QUIZ_SPOOL": str(workdir / f"{name}.spool")})
    return made


def random_urls(content, rng: random.Random, count: int) -> list[str]:
    """Result URLs with random answers, skips, weights, chosen actors, languages and partners."""
    urls = []
    for i in range(count):
        skip = rng.choice([0.0, 0.1, 0.4, 0.8])
        params = [(s.id, "skip" if rng.random() < skip else str(rng.choice([-2, -1, 0, 1, 2])))
                  for s in content.statements]
        if all(v == "skip" for _, v in params):
            params[0] = (params[0][0], "1")
        params += [("important", s.id) for s in content.statements if rng.random() < 0.2]
        if i % 4 == 1:
            chosen = rng.sample(content.actors, rng.randint(1, len(content.actors) - 1))
            params += [("actors", a.id) for a in chosen]
        params += [("lang", "en")] if i % 3 == 0 else [("lang", "nb")] if i % 3 == 1 else []
        if i % 5 == 2:
            params.append(("partner", "demo-avis"))
        urls.append("/result?" + "&".join(f"{k}={v}" for k, v in params))
    return urls


def render_all(app, urls: list[str]) -> dict[str, list[str]]:
    client = app.test_client()
    pages = {}
    for url in urls:
        headers = {"Accept-Language": "en"} if "lang=" not in url and len(url) % 2 else {}
        response = client.get(url, headers=headers, base_url="https://valg.example.org")
        assert response.status_code == 200, (url, response.status_code)
        pages[url + (" [en]" if headers else "")] = texts(response.get_data(as_text=True))
    return pages


def record(path: Path, count: int) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="record-pages-"))
    recording = {}
    for name, app in apps(workdir).items():
        content = app.extensions["quiz_content"]
        urls = random_urls(content, random.Random(20261130), count // 2 + count % 2)
        urls += ["/", "/quiz", "/methodology", "/privacy", "/quiz?lang=en", "/?partner=demo-avis"]
        urls += [u.replace("/result?", "/review?") + "&token=t" for u in urls[:20] if u.startswith("/result")]
        recording[name] = render_all(app, urls)
    path.write_text(json.dumps(recording, ensure_ascii=False), encoding="utf-8")
    print(f"recorded {sum(len(p) for p in recording.values())} pages into {path}")


def compare(path: Path) -> int:
    recording = json.loads(path.read_text(encoding="utf-8"))
    workdir = Path(tempfile.mkdtemp(prefix="compare-pages-"))
    identical = changed = reordered = 0
    added, removed, fewer = Counter(), Counter(), Counter()
    for name, app in apps(workdir).items():
        before = recording[name]
        now = render_all(app, [url.removesuffix(" [en]") for url in before])
        for url, old in before.items():
            new = now[url]
            if " ".join(old) == " ".join(new):
                identical += 1
                continue
            changed += 1
            old_count, new_count = Counter(old), Counter(new)
            reordered += old_count == new_count
            added.update(new_count - old_count)
            for text, n in (old_count - new_count).items():  # gone from the page, or shown fewer times
                (fewer if text in new_count else removed)[text] += n
    print(f"{identical + changed} pages: {identical} with identical text, {changed} changed "
          f"({reordered} of them only in the order of the same pieces of text)")
    if fewer:
        print(f"  {len(fewer)} pieces of text still on their pages but shown fewer times ({sum(fewer.values())} "
              f"times over all pages), e.g. {next(iter(fewer))[:100]!r}")
    for label, counter in (("gone from their pages", removed), ("added", added)):
        for text, n in counter.most_common():
            print(f"  {label} ×{n}: {text[:160]!r}")
    return 0 if not removed and not added and not fewer else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["record", "compare"])
    parser.add_argument("path", type=Path)
    parser.add_argument("--pages", type=int, default=320, help="result pages over both quizzes")
    args = parser.parse_args()
    if args.action == "record":
        record(args.path, args.pages)
    else:
        sys.exit(compare(args.path))


if __name__ == "__main__":
    main()
