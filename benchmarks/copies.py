"""A labelled corpus of originals and their copies, for measuring what ``dedup`` finds and misses.

From a list of real articles, ``make_corpus`` builds documents of three sorts:

- *originals that have a copy*, each with one copy of a ``kind``:

  ``boilerplate``  the article between header and footer lines drawn from ``BOILERPLATE`` (ads, paywall,
                   cookie and sharing notices);
  ``edited``       a few words changed, inserted or deleted and one sentence dropped;
  ``ocr``          2-5% of the characters noised: look-alike substitutions, dropped and doubled characters,
                   broken spacing;
  ``trimmed``      only the first or a middle 45-70% of the article kept;
  ``extended``     one to three unrelated articles appended and/or prepended;
  ``shuffled``     the sentences in another order;
  ``spun``         run through ``benchmarks.spinner`` at a rate drawn in 12-55%;

- *distinct originals* with no copy at all, so precision is measured on stories that must not pair;
- the same boilerplate pool also wraps a share of the originals, copied or not, so shared boilerplate
  that would make two different stories look alike is part of the test.

Filler text for ``extended`` copies comes from articles held back from the corpus and used once each, so an
extended copy never contains another document of the corpus. Document ids are opaque and documents are
shuffled, so nothing but the text links a copy to its original. Everything is seeded and deterministic.

>>> from benchmarks.devdata import load_corpus
>>> corpus = make_corpus(load_corpus().articles[:40], seed=1)  # doctest: +SKIP
>>> sorted({t.kind for t in corpus.truth.values()})  # doctest: +SKIP
['boilerplate', 'distinct', 'edited', 'extended', 'ocr', 'original', 'shuffled', 'spun', 'trimmed']
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from benchmarks.devdata import Article, paragraphs
from benchmarks.spinner import spin
from dedup.model import Document

__all__ = [
    "BOILERPLATE",
    "KINDS",
    "Copy",
    "LabelledCorpus",
    "Truth",
    "add_boilerplate",
    "site_templates",
    "edit",
    "extend",
    "make_corpus",
    "ocr_noise",
    "shuffle_sentences",
    "trim",
]

KINDS = ("boilerplate", "edited", "ocr", "trimmed", "extended", "shuffled", "spun")
# Spun copies get a larger share: their recall is reported per substitution-rate band, three bands.
DEFAULT_WEIGHTS: Mapping[str, int] = {kind: (3 if kind == "spun" else 1) for kind in KINDS}
SPIN_RATES = (0.12, 0.55)
OCR_RATES = (0.02, 0.05)
TRIM_SHARES = (0.45, 0.70)

# Header and footer lines of news sites and press databases, written for this benchmark. Several are long
# on purpose: a long paywall notice shared by two short stories is what fools a naive shingle comparison.
BOILERPLATE: tuple[str, ...] = (
    "Advertisement",
    "ADVERTISEMENT",
    "Newspapers in English",
    "Share this article",
    "Share on Facebook Share on Twitter Share via Email",
    "Skip to main content",
    "Sign up to our daily newsletter for the top stories delivered straight to your inbox every morning.",
    "Subscribe now for unlimited access to our journalism. You have reached your limit of free articles "
    "this month. Already a subscriber? Log in to continue reading.",
    "This article is for subscribers only. Subscribe today and get your first month for just one dollar, "
    "cancel anytime.",
    "We use cookies to give you the best possible experience on our website. By continuing to browse you "
    "agree to our use of cookies. Read our cookie policy to find out more.",
    "Accept all cookies Manage preferences",
    "Copyright All rights reserved. This material may not be published, broadcast, rewritten or "
    "redistributed without permission.",
    "Read more: the latest news, analysis and opinion from our reporters around the world.",
    "Related coverage",
    "Most read",
    "Follow us on social media for breaking news updates.",
    "Printed and distributed by PressReader. Copyright and protected by applicable law.",
    "Comments are closed for this article.",
    "Updated",
    "Photo: supplied",
    "Listen to this article",
    "Report an error or send us a tip using the form on our contact page.",
    "Get the app. Download our free news app for the latest headlines, live coverage of breaking news and "
    "alerts on the stories that matter to you, wherever you are.",
    "Our journalism relies on your support. If you value independent reporting, please consider making a "
    "contribution today; every reader who gives helps keep our newsroom going.",
    "Community guidelines: comments are moderated and may take some time to appear. Please keep the "
    "discussion civil and on topic, and do not share personal information.",
    "More from this section",
    "Topics: world politics, government and politics, community and society, law crime and justice",
    "First posted",
    "Terms of use Privacy policy Contact us About us Careers Advertise with us",
)

# Words an editor inserts when touching up a copy; the replacements of ``edit`` come from the text itself.
_INSERTIONS = (
    "also", "now", "reportedly", "still", "recently", "however", "local", "officially", "earlier", "already",
    "late", "new", "major", "several", "further",
)  # fmt: skip

# OCR look-alikes: what a scanner reads for a character, in both directions where they are symmetric.
_LOOKALIKE: dict[str, tuple[str, ...]] = {
    "m": ("rn", "nn"), "l": ("1", "I", "i"), "i": ("l", "1", "í"), "I": ("l", "1"), "o": ("0", "c"),
    "O": ("0", "Q"), "0": ("O", "o"), "1": ("l", "I"), "e": ("c", "o"), "c": ("e",), "a": ("o", "e"),
    "n": ("m", "ri"), "u": ("v", "ii"), "h": ("b", "li"), "b": ("h", "6"), "S": ("5", "$"), "s": ("5",),
    "5": ("S",), "B": ("8",), "8": ("B",), "g": ("q", "9"), "t": ("f", "l"), "f": ("t",), "r": ("n",),
    "d": ("cl",), "w": ("vv",), "y": ("v",), ",": (".",), ".": (",",), "E": ("F",), "T": ("I",),
}  # fmt: skip


@dataclass(frozen=True)
class Truth:
    """What a document is: its family, its kind, and for a copy the original and how it was made.

    ``kind`` is ``"original"`` (an article that has a copy), ``"distinct"`` (an article with none) or one of
    ``KINDS``. ``rate`` is the spin rate drawn for spun copies and the noise rate for OCR copies.
    """

    family: int
    kind: str
    original: str | None = None
    rate: float | None = None
    detail: str = ""


@dataclass(frozen=True)
class Copy:
    """The text of one copy and a short note of what was done to it."""

    text: str
    detail: str
    rate: float | None = None


@dataclass(frozen=True)
class LabelledCorpus:
    """The documents in scan order and the ground truth of each, by document id."""

    documents: tuple[Document, ...]
    truth: dict[str, Truth]

    def expected_pairs(self) -> list[tuple[str, str, Truth]]:
        """Every (original id, copy id, truth of the copy) the scan should report."""
        return [(t.original, doc_id, t) for doc_id, t in self.truth.items() if t.original is not None]


def site_templates(rng: random.Random, count: int = 4) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """``count`` site templates: each a fixed header (1-3 lines) and footer (2-6 lines) from ``BOILERPLATE``.

    Pages of one site share one template; that is what makes boilerplate dangerous for near-duplicate search.

    >>> [len(header) > 0 and len(footer) > 1 for header, footer in site_templates(random.Random(0), 2)]
    [True, True]
    """
    templates = []
    for _ in range(count):
        lines = rng.sample(BOILERPLATE, rng.randint(3, 9))
        cut = rng.randint(1, min(3, len(lines) - 2))
        templates.append((tuple(lines[:cut]), tuple(lines[cut:])))
    return templates


def add_boilerplate(text: str, rng: random.Random, template: tuple[Sequence[str], Sequence[str]] | None = None) -> Copy:
    """Wrap ``text`` in a site template's header and footer lines, each its own paragraph.

    Without a ``template`` the lines are drawn from ``BOILERPLATE`` at random. A line of the template is
    left out now and then, as pages of one site differ a little (a "Most read" box shown or not).

    >>> copy = add_boilerplate("Body.", random.Random(2))
    >>> "Body." in copy.text and copy.text != "Body."
    True
    """
    if template is None:
        template = site_templates(rng, 1)[0]
    header = [line for line in template[0] if rng.random() > 0.1] or list(template[0][:1])
    footer = [line for line in template[1] if rng.random() > 0.1] or list(template[1][:1])
    return Copy("\n\n".join([*header, text, *footer]), f"{len(header)} header and {len(footer)} footer lines")


def edit(sentences: Sequence[str], rng: random.Random) -> Copy:
    """A lightly edited copy: one sentence dropped (when there are four or more), 2-6 word edits.

    >>> copy = edit(["One fine day.", "Two cats sat.", "Three dogs ran.", "Four birds flew off."], random.Random(1))
    >>> len(copy.text.split(". ")) < 4
    True
    """
    kept = list(sentences)
    notes = []
    if len(kept) >= 4:
        del kept[rng.randrange(len(kept))]
        notes.append("1 sentence dropped")
    words = " ".join(kept).split(" ")
    vocabulary = [w for w in words if w.isalpha() and w.islower() and len(w) > 3] or ["news"]
    operations = rng.randint(2, 6)
    for _ in range(operations):
        # The first word of the text is left alone so the copy does not start mid-thought.
        position = rng.randrange(1, len(words)) if len(words) > 1 else 0
        action = rng.choice(("change", "insert", "delete"))
        if action == "change" and words[position].isalpha():
            words[position] = rng.choice(vocabulary)
        elif action == "delete" and len(words) > 10 and words[position].isalpha():
            del words[position]
        else:
            words.insert(position, rng.choice(_INSERTIONS))
    notes.append(f"{operations} word edits")
    return Copy(paragraphs(_split_again(" ".join(words)), rng), ", ".join(notes))


def _split_again(text: str) -> list[str]:
    # After word edits the sentence boundaries are where they were; a simple split is enough for layout.
    return [s for s in re.split(r"(?<=[.!?\"])\s+(?=[A-Z\"])", text) if s]


def ocr_noise(text: str, rate: float, rng: random.Random) -> Copy:
    """Noise ``rate`` of the characters as a bad scan does: look-alikes, drops, doubles, broken spacing.

    >>> ocr_noise("modern limits", 0.0, random.Random(0)).text
    'modern limits'
    """
    out: list[str] = []
    noised = 0
    for char in text:
        if char == "\n" or rng.random() >= rate:
            out.append(char)
            continue
        noised += 1
        roll = rng.random()
        if char == " ":
            # A scanner loses spaces (words run together) more often than it adds them.
            out.append("" if roll < 0.7 else "  ")
        elif roll < 0.55 and char in _LOOKALIKE:
            out.append(rng.choice(_LOOKALIKE[char]))
        elif roll < 0.75:
            continue  # dropped
        elif roll < 0.9:
            out.append(char + char)  # doubled
        else:
            out.append(char + " ")  # a space inside a word
    return Copy("".join(out), f"{noised} of {len(text)} characters noised", rate)


def trim(sentences: Sequence[str], share: float, rng: random.Random) -> Copy:
    """Keep the first or a middle run of sentences holding about ``share`` of the words.

    >>> trim(["A b c.", "D e f.", "G h i.", "J k l."], 0.5, random.Random(0)).detail
    'middle 2 of 4 sentences (50% of words)'
    """
    lengths = [len(s.split()) for s in sentences]
    total = sum(lengths)
    best: tuple[float, int, int] | None = None
    first = rng.random() < 0.5
    starts = [0] if first else list(range(1, max(2, len(sentences) - 1)))
    for start in starts:
        for end in range(start + 1, len(sentences) + 1):
            if end - start == len(sentences):
                continue  # keeping everything is no trim
            gap = abs(sum(lengths[start:end]) / total - share)
            if best is None or gap < best[0]:
                best = (gap, start, end)
    if best is None:  # a single sentence: cut inside it
        words = sentences[0].split()
        kept = " ".join(words[: max(1, round(len(words) * share))])
        return Copy(kept, f"first {share:.0%} of one sentence")
    _gap, start, end = best
    where = "first" if start == 0 else "middle"
    kept_share = sum(lengths[start:end]) / total
    detail = f"{where} {end - start} of {len(sentences)} sentences ({kept_share:.0%} of words)"
    return Copy(paragraphs(sentences[start:end], rng), detail, round(kept_share, 3))


def extend(text: str, fillers: Sequence[Article], rng: random.Random) -> Copy:
    """Put the text of the ``fillers`` (unrelated articles) after, before, or on both sides of ``text``.

    >>> filler = Article("x", ("Other news.",), "Other news.")
    >>> extend("Story.", [filler], random.Random(0)).text in ("Story.\\n\\nOther news.", "Other news.\\n\\nStory.")
    True
    """
    before: list[str] = []
    after: list[str] = []
    for filler in fillers:
        (before if rng.random() < 0.4 else after).append(filler.text)
    detail = f"{len(before)} article(s) prepended, {len(after)} appended"
    return Copy("\n\n".join([*before, text, *after]), detail)


def shuffle_sentences(sentences: Sequence[str], rng: random.Random) -> Copy:
    """The same sentences in another order (different from the original whenever there are two or more).

    >>> shuffle_sentences(["A.", "B."], random.Random(0)).text
    'B. A.'
    """
    order = list(range(len(sentences)))
    if len(order) > 1:
        while order == sorted(order):
            rng.shuffle(order)
    return Copy(paragraphs([sentences[i] for i in order], rng), f"order {order}")


def _spun(article: Article, rng: random.Random, thesaurus: str) -> Copy:
    rate = rng.uniform(*SPIN_RATES)
    result = spin(article.text, rate, seed=rng.randrange(2**31), thesaurus=thesaurus)
    return Copy(result.text, f"{len(result.swaps)} swaps", round(rate, 4))


def _make_copy(
    kind: str,
    article: Article,
    fillers: Sequence[Article],
    rng: random.Random,
    thesaurus: str,
    template: tuple[Sequence[str], Sequence[str]],
) -> Copy:
    if kind == "boilerplate":
        return add_boilerplate(article.text, rng, template)
    if kind == "edited":
        return edit(article.sentences, rng)
    if kind == "ocr":
        return ocr_noise(article.text, round(rng.uniform(*OCR_RATES), 4), rng)
    if kind == "trimmed":
        return trim(article.sentences, rng.uniform(*TRIM_SHARES), rng)
    if kind == "extended":
        return extend(article.text, fillers, rng)
    if kind == "shuffled":
        return shuffle_sentences(article.sentences, rng)
    if kind == "spun":
        return _spun(article, rng, thesaurus)
    raise ValueError(f"unknown copy kind {kind!r}; expected one of {KINDS}")


def make_corpus(
    articles: Sequence[Article],
    *,
    seed: int,
    copy_share: float = 0.6,
    weights: Mapping[str, int] | None = None,
    boilerplate_share: float = 0.3,
    thesaurus: str = "mythes",
) -> LabelledCorpus:
    """Build the labelled corpus from ``articles``: ``copy_share`` of the originals get one copy each.

    Kinds are dealt in proportion to ``weights`` (spun three times the others by default); some articles
    are held back as filler for extended copies; ``boilerplate_share`` of the other documents are wrapped in
    pool boilerplate too.

    >>> from benchmarks.devdata import load_corpus
    >>> corpus = make_corpus(load_corpus().articles[:30], seed=1)  # doctest: +SKIP
    >>> len(corpus.documents) > 30  # doctest: +SKIP
    True
    """
    if not 0.0 <= copy_share <= 1.0:
        raise ValueError(f"copy_share must be between 0 and 1, not {copy_share}")
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = set(weights) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown copy kinds {sorted(unknown)}; expected some of {KINDS}")
    rng = random.Random(seed)
    pool = list(articles)
    rng.shuffle(pool)

    # Deal the kinds round-robin over a weighted cycle so every kind is represented even in small corpora.
    cycle = [kind for kind in KINDS for _ in range(weights.get(kind, 0))]
    planned = [cycle[i % len(cycle)] for i in range(round(copy_share * len(pool)))] if cycle else []
    # Filler for extended copies: 1-3 held-back articles each, never more than a sixth of the pool.
    filler_counts = [rng.randint(1, 3) for kind in planned if kind == "extended"]
    while sum(filler_counts) > len(pool) // 6:
        filler_counts[filler_counts.index(max(filler_counts))] -= 1
    filler_counts = [n for n in filler_counts if n > 0]
    fillers, originals = pool[: sum(filler_counts)], pool[sum(filler_counts) :]
    kinds = planned[: round(copy_share * len(originals))]
    # With too little filler left over for every extended copy, the surplus are made edited copies.
    extended_at = [i for i, kind in enumerate(kinds) if kind == "extended"]
    for i in extended_at[len(filler_counts) :]:
        kinds[i] = "edited"

    templates = site_templates(rng)
    documents: list[tuple[str, Truth]] = []
    texts: dict[str, str] = {}
    filler_at = 0
    extended_seen = 0
    for family, article in enumerate(originals):
        kind = kinds[family] if family < len(kinds) else None
        original_key = f"o{family}"
        text = article.text
        original_template = rng.randrange(len(templates))
        if kind != "boilerplate" and rng.random() < boilerplate_share:
            text = add_boilerplate(text, rng, templates[original_template]).text
        texts[original_key] = text
        documents.append((original_key, Truth(family, "original" if kind else "distinct", detail=article.id)))
        if kind is None:
            continue
        used: list[Article] = []
        if kind == "extended":
            count = filler_counts[extended_seen]
            used = fillers[filler_at : filler_at + count]
            filler_at += count
            extended_seen += 1
        # A boilerplate copy is the story republished by another site: another site's template.
        copy_template = templates[(original_template + rng.randrange(1, len(templates))) % len(templates)]
        copy = _make_copy(kind, article, used, rng, thesaurus, copy_template)
        copy_key = f"c{family}"
        texts[copy_key] = copy.text
        documents.append((copy_key, Truth(family, kind, original_key, copy.rate, copy.detail)))

    # Opaque ids in a shuffled order: nothing but the text may tell a copy from its original.
    rng.shuffle(documents)
    ids = {key: f"doc-{n:04d}" for n, (key, _truth) in enumerate(documents)}
    truth: dict[str, Truth] = {}
    result: list[Document] = []
    for key, item in documents:
        doc_id = ids[key]
        original = ids[item.original] if item.original else None
        truth[doc_id] = Truth(item.family, item.kind, original, item.rate, item.detail)
        result.append(Document(doc_id, texts[key], source="benchmark"))
    return LabelledCorpus(tuple(result), truth)
