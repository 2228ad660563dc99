"""Words and sentences of a source, in its language: tokens, stop words, stems, compounds, sentences.

Languages: Norwegian bokmål (nb) and nynorsk (nn), German (de) and English (en); any other
language code is treated as bokmål's nearest kin would be (Snowball's Norwegian stemmer) with
no stop words of its own. Sentence splitting is a rule set of ours (see the README for why):
a sentence ends at . ! or ? followed by a capital, unless the dot ends a known abbreviation
("f.eks.", "z.B.", "Dr."), an initial ("K. Olsen") or a small number ("17. Mai").
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)

_NORWEGIAN = """
at av både da de dem den denne der dere dermed det dette deg din disse du eller en enn er et ett etter
for fordi fra før først ha hadde han har hennes her hos hun hva hvem hver hvilke hvis hvor hvordan i ikke
inn innen jeg kan kun kunne man med meg men mer mest min mot må måtte ned noe noen når og også om opp oss
over på samt seg selv sin sine sitt skal skulle slik som så til uten ut var ved vi vil ville være vært
bør blir ble bli bare alle andre annen enkelte slike gjennom mellom under via
"""
STOP_WORDS = {
    # Function words that carry no topic. Modal verbs and negations are dropped too: they mark
    # *how* something is said (see passages.py), not *what* it is about.
    "nb": frozenset(_NORWEGIAN.split()),
    "nn": frozenset((_NORWEGIAN + """
    eg ho dei ein eit ikkje kva kven kvar korleis kvifor frå berre vere vore vera me dykk deira sjølv noko
    nokon mykje no òg også utan medan fordi sidan skal vil kan må bør blir vert vart dette desse slik
    """).split()),
    "de": frozenset("""
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch auf aus
    bei beim bin bis bist da damit dann das dass dein deine dem den denn der des dessen deshalb die dies diese
    diesem diesen dieser dieses doch dort du durch ein eine einem einen einer eines er es euer eure für gegen
    hat hatte haben hier hin hinter ich ihr ihre ihrem ihren ihrer im in indem ins ist jede jedem jeden jeder
    jedes jetzt kann kein keine keinem keinen keiner können könnte man manche mehr mit muss müssen nach nicht
    nichts noch nun nur ob oder ohne sehr sein seine sich sie sind so soll sollen sollte sondern über um und
    uns unser unsere unter viel vom von vor wann war waren was weil weiter welche wenn wer werden wie wieder
    will wir wird wo wollen würde zu zum zur zwischen bzw sowie dafür dabei daher
    """.split()),
    "en": frozenset("""
    a about after all also an and any are as at be because been being both but by can could did do does
    each either for from had has have he her here his how i if in into is it its may might more most must
    no nor not of on only or other our should so some such than that the their them then there these they
    this those through to too under up very was we were what when where which while who why will with would
    you your shall
    """.split()),
}

ABBREVIATIONS = {
    "nb": ("bl.a.", "f.eks.", "dvs.", "osv.", "m.m.", "mv.", "m.v.", "ca.", "jf.", "jfr.", "nr.", "pkt.", "kap.",
           "mill.", "mrd.", "kr.", "t.o.m.", "f.o.m.", "o.l.", "evt.", "iht.", "ift.", "pga.", "bl.", "ev.",
           "inkl.", "ekskl.", "tlf.", "st.", "dr.", "prof.", "etc.", "vs.", "stk.", "ref.", "mht.", "vedr."),
    "nn": ("t.d.", "m.a.", "dvs.", "osb.", "o.a.", "m.m.", "mv.", "ca.", "jf.", "nr.", "kap.",
           "mill.", "mrd.", "kr.", "evt.", "pga.", "inkl.", "dr.", "prof.", "etc.", "vs."),
    "de": ("z.b.", "bzw.", "usw.", "u.a.", "d.h.", "ca.", "dr.", "nr.", "abs.", "art.", "vgl.", "ggf.", "inkl.",
           "etc.", "sog.", "z.t.", "prof.", "st.", "bspw.", "evtl.", "u.ä.", "o.ä.", "s.o.", "s.u.", "v.a.",
           "mio.", "mrd.", "gem.", "lt.", "max.", "min.", "zzgl.", "i.d.r.", "u.u.", "insb.", "bes."),
    "en": ("dr.", "mr.", "mrs.", "ms.", "prof.", "e.g.", "i.e.", "etc.", "vs.", "no.", "st.", "approx.",
           "incl.", "cf.", "jr.", "sr.", "fig.", "u.s.", "u.k."),
}
# A candidate end: . ! or ? (with closing quotes or brackets), whitespace, then a capital or an opening quote.
CANDIDATE_END = re.compile(r"[.!?][»\"”’)]*(?=\s+[«\"„“(]?[A-ZÆØÅÄÖÜ])")
WORD_BEFORE = re.compile(r"(\S+)$")


@lru_cache(maxsize=8)
def _stemmer(language: str):
    name = {"nb": "norwegian", "nn": "norwegian", "no": "norwegian", "de": "german", "en": "english",
            "sv": "swedish", "da": "danish"}.get(language, "norwegian")
    return snowballstemmer.stemmer(name)


def stop_words(language: str) -> frozenset[str]:
    """The language's stop words (bokmål's for an unlisted Norwegian code, none for others)."""
    return STOP_WORDS.get(language) or (STOP_WORDS["nb"] if language == "no" else frozenset())


def words(text: str, language: str = "nb") -> list[str]:
    """The lowercase content words of ``text`` (stop words and one-letter words dropped), unstemmed."""
    stop = stop_words(language)
    return [w for w in (t.lower() for t in TOKEN.findall(text)) if w not in stop and len(w) > 1]


def stem(tokens: list[str], language: str = "nb") -> list[str]:
    return _stemmer(language).stemWords(tokens)


def terms(text: str, language: str = "nb", compounds: Compounds | None = None) -> list[str]:
    """The stemmed content words of ``text``, in order (repeats kept: BM25 counts them), and the
    parts of compounds that ``compounds`` knows."""
    found = words(text, language)
    if compounds is not None:
        found = [part for word in found for part in (word, *compounds.parts(word))]
    return stem(found, language)


class Compounds:
    """Splits a compound into two words that occur on their own in the same texts.

    Norwegian and German write "narkotikasalg", "Mindestlohn"; a query about "salg av narkotika"
    then shares no term with the passage. A word of 8+ letters is split where both halves (the
    first less a linking "s" or "e") are words of 3+ letters seen elsewhere in the corpus, and
    its last part (what the compound is: "salg", "Lohn") is added as a term. Adding the first
    part too made Norwegian results worse (bench/suggest_recall.py): it is the shared topic
    word ("narkotika-") of nearly every passage. Splitting stems instead of words (to catch
    "narkotikasalget") measured worse on both labelled sets, so words it is.
    """

    MIN_WORD = 8
    MIN_PART = 3

    def __init__(self, vocabulary: set[str]):
        self.vocabulary = {w for w in vocabulary if len(w) >= self.MIN_PART}
        self._cache: dict[str, tuple[str, ...]] = {}

    def parts(self, word: str) -> tuple[str, ...]:
        if len(word) < self.MIN_WORD or "-" in word:
            return tuple(p for p in word.split("-") if p in self.vocabulary) if "-" in word else ()
        if word not in self._cache:
            self._cache[word] = self._split(word)
        return self._cache[word]

    def _split(self, word: str) -> tuple[str, ...]:
        for i in range(self.MIN_PART, len(word) - self.MIN_PART + 1):
            head, tail = word[:i], word[i:]
            if tail not in self.vocabulary:
                continue
            for candidate in (head, head[:-1] if head[-1] in "se" else None):
                if candidate and candidate in self.vocabulary and candidate != word:
                    return (tail,)  # the shortest head: the longest known tail
        return ()


def sentence_ends(text: str, language: str = "nb") -> list[int]:
    """Offsets in ``text`` where a sentence ends (after its closing punctuation)."""
    abbreviations = set(ABBREVIATIONS.get(language, ())) | set(ABBREVIATIONS["en"][:5])
    ends = []
    for match in CANDIDATE_END.finditer(text):
        if text[match.start()] == ".":
            before = WORD_BEFORE.search(text, 0, match.start() + 1)
            token = before.group(1).lstrip("«(\"„“").lower() if before else ""
            if token in abbreviations or re.fullmatch(r"[^\W\d_]\.|\d{1,2}\.", token):
                continue  # "f.eks.", "K.", "17."
        ends.append(match.end())
    return ends


def sentences(text: str, language: str = "nb") -> list[tuple[int, str]]:
    """(offset, sentence) for each sentence of ``text``, stripped, in order."""
    found, start = [], 0
    for end in [*sentence_ends(text, language), len(text)]:
        raw = text[start:end]
        if raw.strip():
            found.append((start + len(raw) - len(raw.lstrip()), raw.strip()))
        start = end
    return found
