"""Words for retrieval: lowercase tokens, Norwegian stop words dropped, Snowball-stemmed."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
# Function words that carry no topic; modal verbs and negations are kept out of the index too,
# because they mark *how* something is said (see passages.py), not *what* it is about.
STOP_WORDS = frozenset("""
at av både da de dem den denne der dere dermed det dette dei deg din disse du eller en enn er et ett etter
for fordi fra før først ha hadde han har hennes her hos hun hva hvem hver hvilke hvis hvor hvordan i ikke
inn innen jeg kan kun kunne man med meg men mer mest min mot må måtte ned noe noen når og også om opp oss
over på samt seg selv sin sine sitt skal skulle slik som så til uten ut var ved vi vil ville være vært
bør blir ble bli bare også alle andre annen enkelte slike gjennom mellom under via the and
""".split())


@lru_cache(maxsize=8)
def _stemmer(language: str):
    name = {"nb": "norwegian", "nn": "norwegian", "no": "norwegian", "de": "german", "en": "english",
            "sv": "swedish", "da": "danish"}.get(language, "norwegian")
    return snowballstemmer.stemmer(name)


def terms(text: str, language: str = "nb") -> list[str]:
    """The stemmed content words of ``text``, in order (repeats kept: BM25 counts them)."""
    words = [w.lower() for w in TOKEN.findall(text)]
    return _stemmer(language).stemWords([w for w in words if w not in STOP_WORDS and len(w) > 1])
