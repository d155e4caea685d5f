"""Tests of the benchmark corpus generator and the development-data helpers; offline and fast.

Articles are made up here from word lists, so these tests need neither the gensim wheel nor the network.
Spun copies need the mythes thesaurus; without it the corpus is built without them.
"""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from benchmarks import copies
from benchmarks.copies import BOILERPLATE, KINDS, make_corpus
from benchmarks.devdata import Article, _near_identical, paragraphs, split_sentences
from benchmarks.spinner import ThesaurusNotInstalled, load_thesaurus

_SUBJECTS = (
    "officials", "residents", "police", "farmers", "doctors",
    "teachers", "soldiers", "workers", "students", "ministers",
)  # fmt: skip
_VERBS = (
    "reported", "described", "criticised", "welcomed", "rejected",
    "announced", "questioned", "examined", "defended", "opposed",
)  # fmt: skip
_OBJECTS = (
    "plan", "budget", "decision", "report", "proposal",
    "agreement", "policy", "investigation", "strike", "inquiry",
)  # fmt: skip
_PLACES = (
    "Canberra", "Sydney", "Hobart", "Perth", "Darwin",
    "Brisbane", "Adelaide", "Melbourne", "Kabul", "Jakarta",
)  # fmt: skip


def make_articles(count: int, seed: int = 0) -> list[Article]:
    """Distinct made-up articles of 6-10 sentences, with names, numbers and content words."""
    rng = random.Random(seed)
    articles = []
    for n in range(count):
        sentences = tuple(
            f"{rng.choice(_SUBJECTS).capitalize()} in {rng.choice(_PLACES)} {rng.choice(_VERBS)} the "
            f"{rng.choice(_OBJECTS)} on day {rng.randint(1, 999)} of story {n}, a {rng.choice(_OBJECTS)} "
            f"about {rng.randint(2, 90)} {rng.choice(_SUBJECTS)}."
            for _ in range(rng.randint(6, 10))
        )
        articles.append(Article(f"art-{n}", sentences, paragraphs(sentences, rng)))
    return articles


def _weights() -> dict[str, int]:
    try:
        load_thesaurus("mythes")
    except ThesaurusNotInstalled:
        return {kind: 1 for kind in KINDS if kind != "spun"}
    return {kind: 1 for kind in KINDS}


@pytest.fixture(scope="module")
def corpus() -> copies.LabelledCorpus:
    return make_corpus(make_articles(60), seed=5, weights=_weights())


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _by_id(corpus: copies.LabelledCorpus) -> dict[str, str]:
    return {d.id: d.text for d in corpus.documents}


def _pairs_of(corpus: copies.LabelledCorpus, kind: str) -> list[tuple[str, str, copies.Truth]]:
    found = [(o, c, t) for o, c, t in corpus.expected_pairs() if t.kind == kind]
    assert found, f"no {kind} copy in the corpus"
    return found


def _article_text(corpus: copies.LabelledCorpus, original_id: str) -> str:
    # Originals may be wrapped in boilerplate lines; the article is what is left without them.
    return "\n\n".join(p for p in _by_id(corpus)[original_id].split("\n\n") if p not in BOILERPLATE)


def test_same_seed_gives_the_same_corpus() -> None:
    articles = make_articles(30)
    assert make_corpus(articles, seed=3, weights=_weights()) == make_corpus(articles, seed=3, weights=_weights())


def test_other_seed_gives_another_corpus() -> None:
    articles = make_articles(30)
    assert make_corpus(articles, seed=3).documents != make_corpus(articles, seed=4).documents


def test_every_kind_and_distinct_originals_are_present(corpus: copies.LabelledCorpus) -> None:
    kinds = Counter(t.kind for t in corpus.truth.values())
    assert set(_weights()) <= set(kinds)
    assert kinds["distinct"] > 10
    assert kinds["original"] == sum(kinds[k] for k in KINDS)


def test_truth_links_each_copy_to_its_original(corpus: copies.LabelledCorpus) -> None:
    assert [d.id for d in corpus.documents] == sorted(corpus.truth)  # ids are opaque and in order
    families = Counter(t.family for t in corpus.truth.values())
    for original, copy, truth in corpus.expected_pairs():
        assert corpus.truth[original].kind == "original"
        assert corpus.truth[original].family == truth.family
        assert families[truth.family] == 2 and copy != original
    assert all(families[t.family] == 1 for t in corpus.truth.values() if t.kind == "distinct")


def test_boilerplate_copy_is_the_article_between_pool_lines(corpus: copies.LabelledCorpus) -> None:
    texts = _by_id(corpus)
    for original, copy, _truth in _pairs_of(corpus, "boilerplate"):
        article = _article_text(corpus, original)
        before, found, after = texts[copy].partition(article)
        assert found
        extra = [p for p in (before + after).split("\n\n") if p]
        assert extra and set(extra) <= set(BOILERPLATE)


def test_shared_boilerplate_also_wraps_originals_without_copies(corpus: copies.LabelledCorpus) -> None:
    texts = _by_id(corpus)
    wrapped = [i for i, t in corpus.truth.items() if t.kind == "distinct" and texts[i].split("\n\n")[0] in BOILERPLATE]
    assert wrapped


def test_edited_copy_is_close_but_not_equal(corpus: copies.LabelledCorpus) -> None:
    texts = _by_id(corpus)
    for original, copy, _truth in _pairs_of(corpus, "edited"):
        a, b = _words(_article_text(corpus, original)), _words(texts[copy])
        assert a != b
        # One sentence of at most ~20 words dropped plus at most six word edits.
        assert Levenshtein.distance(a, b) <= 20 + 6


def test_ocr_copy_noises_a_few_percent_of_characters(corpus: copies.LabelledCorpus) -> None:
    texts = _by_id(corpus)
    for original, copy, truth in _pairs_of(corpus, "ocr"):
        assert truth.rate is not None and 0.02 <= truth.rate <= 0.05
        article = _article_text(corpus, original)
        changed = Levenshtein.distance(article, texts[copy]) / len(article)
        assert 0.0 < changed <= 0.10


@settings(max_examples=25, deadline=None)
@given(rate=st.floats(0.02, 0.05), seed=st.integers(0, 2**31))
def test_ocr_noise_rate_is_honoured(rate: float, seed: int) -> None:
    text = " ".join(make_articles(3, seed % 97)[i].text for i in range(3))
    noised = copies.ocr_noise(text, rate, random.Random(seed)).text
    # Each noised character costs one or two edits; over ~1,500 characters the share stays near the rate.
    share = Levenshtein.distance(text, noised) / len(text)
    assert rate * 0.4 <= share <= rate * 2.2


@pytest.mark.parametrize("rate", [0.0])
def test_ocr_noise_at_rate_zero_is_identity(rate: float) -> None:
    text = make_articles(1)[0].text
    assert copies.ocr_noise(text, rate, random.Random(1)).text == text


def test_trimmed_copy_keeps_one_contiguous_run(corpus: copies.LabelledCorpus) -> None:
    texts = _by_id(corpus)
    for original, copy, truth in _pairs_of(corpus, "trimmed"):
        a, b = " ".join(_words(_article_text(corpus, original))), " ".join(_words(texts[copy]))
        assert b in a and b != a
        assert truth.rate is not None and 0.3 <= truth.rate <= 0.85
        if truth.detail.startswith("first"):
            assert a.startswith(b)


@settings(max_examples=25, deadline=None)
@given(share=st.floats(0.45, 0.70), seed=st.integers(0, 2**31))
def test_trim_keeps_about_the_share_asked(share: float, seed: int) -> None:
    article = make_articles(1, seed % 101)[0]
    copy = copies.trim(article.sentences, share, random.Random(seed))
    sentence_share = 1 / len(article.sentences)
    assert copy.rate is not None and abs(copy.rate - share) <= sentence_share


def test_extended_copy_contains_the_article_and_unseen_filler(corpus: copies.LabelledCorpus) -> None:
    texts = _by_id(corpus)
    for original, copy, _truth in _pairs_of(corpus, "extended"):
        article = _article_text(corpus, original)
        assert article in texts[copy]
        filler = texts[copy].replace(article, "").strip()
        assert len(filler) > 100
        # Filler articles are held back: no other document of the corpus holds their text.
        first_sentence = filler.split(". ")[0]
        assert [i for i, t in texts.items() if first_sentence in t] == [copy]


def test_shuffled_copy_has_the_same_sentences_in_another_order(corpus: copies.LabelledCorpus) -> None:
    texts = _by_id(corpus)
    for original, copy, _truth in _pairs_of(corpus, "shuffled"):
        a = split_sentences(_article_text(corpus, original).replace("\n\n", " "))
        b = split_sentences(texts[copy].replace("\n\n", " "))
        assert sorted(a) == sorted(b) and a != b


def test_spun_copy_records_its_rate_and_keeps_names(corpus: copies.LabelledCorpus) -> None:
    if "spun" not in _weights():
        pytest.skip("the mythes thesaurus is not installed: apt-get install mythes-en-us")
    texts = _by_id(corpus)
    for original, copy, truth in _pairs_of(corpus, "spun"):
        assert truth.rate is not None and 0.12 <= truth.rate <= 0.55
        article = _article_text(corpus, original)
        assert texts[copy] != article
        names = [w for w in re.findall(r"\b[A-Z][a-z]+\b", article) if w in _PLACES]
        assert [w for w in re.findall(r"\b[A-Z][a-z]+\b", texts[copy]) if w in _PLACES] == names
        assert re.findall(r"\d+", texts[copy]) == re.findall(r"\d+", article)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown copy kinds"):
        make_corpus(make_articles(5), seed=1, weights={"translated": 1})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith left. He came back.", ["Mr. Smith left.", "He came back."]),
        ('"We won," he said. The U.S. team left.', ['"We won," he said.', "The U.S. team left."]),
        ("It cost $3.5 million. Prices rose 4.2 per cent!", ["It cost $3.5 million.", "Prices rose 4.2 per cent!"]),
        ("No boundary here", ["No boundary here"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@given(count=st.integers(1, 30), seed=st.integers(0, 1000))
def test_paragraphs_keep_every_sentence_in_order(count: int, seed: int) -> None:
    sentences = [f"Sentence {i}." for i in range(count)]
    text = paragraphs(sentences, random.Random(seed))
    blocks = text.split("\n\n")
    assert " ".join(blocks) == " ".join(sentences)
    if count >= 2:
        assert all(2 <= len(block.split(". ")) <= 4 for block in blocks)


def test_near_identical_articles_are_dropped_and_counted() -> None:
    base = [a.text for a in make_articles(4)]
    texts = [*base, base[1], base[2][: len(base[2]) * 9 // 10]]
    assert _near_identical(texts) == {4, 5}
