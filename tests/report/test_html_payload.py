"""What the HTML page is sent, worked out document by document and pair by pair (the whole page: test_html.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.model import DocumentResult, Pair, Repeat
from dedup.report.html_payload import MIN_SHARED_WORDS, PayloadBuilder, shared_passages
from dedup.text.normalize import tokenize

STORY = ("The army said on Monday that its forces had taken the town after three days of fighting. "
         "Residents who fled described heavy shelling. Aid groups warned of shortages of food and water. ")


def builder_of(texts: dict[str, str], budget: int = 10_000) -> PayloadBuilder:
    return PayloadBuilder(texts.__getitem__, budget)


# ---- documents and the text budget ----------------------------------------------------------------------------

def test_each_document_is_listed_once_in_the_order_added() -> None:
    builder = builder_of({"a": STORY, "b": STORY})
    for doc_id in ("b", "a", "b"):
        builder.add(doc_id, None)
    assert [d["id"] for d in builder.docs] == ["b", "a"] and builder.index == {"b": 0, "a": 1}


def test_a_text_past_the_budget_is_left_out_and_counted() -> None:
    builder = builder_of({"a": STORY, "b": STORY + "Extra."}, budget=len(STORY) + 3)
    builder.add("a", DocumentResult("a", len(STORY)))
    builder.add("b", DocumentResult("b", len(STORY) + 6))
    assert [d["text"] for d in builder.docs] == [STORY, None]
    note = builder.texts_note(total_documents=3)
    assert (note["included"], note["over_budget"], note["chars"], note["listed"]) == (1, 1, len(STORY), 2)


def test_no_texts_means_no_text_and_no_source() -> None:
    builder = PayloadBuilder(None, 10_000)
    builder.add("a", DocumentResult("a", 5))
    assert builder.docs == [{"id": "a", "chars": 5, "text": None}]
    assert builder.texts_note(total_documents=1)["no_source"] == 1


def test_a_copy_travels_as_slices_of_its_partner() -> None:
    b = STORY + "One more line."
    builder = builder_of({"a": STORY, "b": b})
    builder.add("a", None)
    builder.add("b", None, partner="a")
    first, second = builder.docs
    assert first["text"] == STORY and "text" not in second
    assert second["tx"] == [[0, 0, len(STORY)], "One more line."]


# ---- pairs ----------------------------------------------------------------------------------------------------

def test_pair_entry_points_at_its_documents_with_rounded_figures() -> None:
    builder = builder_of({"a": STORY, "b": STORY.replace("Monday", "Tuesday")})
    builder.add("a", None)
    builder.add("b", None)
    entry = builder.pair(Pair("a", "b", "near_duplicate", 0.123456, 0.5, 1 / 3, {"coverage": 0.99999}))
    assert (entry["a"], entry["b"], entry["rel"], entry["score"], entry["con"]) == (0, 1, "near_duplicate", 0.1235,
                                                                                    0.3333)
    assert entry["det"] == {"coverage": 1.0}
    assert [STORY[s:e] for s, e, _, _ in entry["sh"]] == ["The army said on", STORY[STORY.index("that"):].rstrip(". ")]


def test_pair_without_both_texts_has_no_shared_passages() -> None:
    builder = builder_of({"a": STORY, "b": STORY}, budget=len(STORY))
    builder.add("a", DocumentResult("a", len(STORY)))
    builder.add("b", DocumentResult("b", len(STORY)))
    assert "sh" not in builder.pair(Pair("a", "b", "exact", 1, 1, 1))


# ---- repeats --------------------------------------------------------------------------------------------------

def test_occurrences_of_one_passage_share_a_number() -> None:
    notice = "You must update your payment details to keep your subscription."
    caption = "Fierce fighting at a military airport in the north."
    text = f"{notice} Story. {notice[:45]} more story. {caption}\n{caption}"
    spans = [(text.index(notice), len(notice)), (text.index(notice[:45], 10), 45), (text.index(caption), len(caption)),
             (text.rindex(caption), len(caption))]
    repeats = tuple(Repeat(s, s + n, 2) for s, n in spans)
    builder = builder_of({"d": text})
    builder.add("d", DocumentResult("d", len(text), None, repeats))
    assert [r[3] for r in builder.docs[0]["rep"]] == [0, 0, 1, 1]


# ---- shared passages ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "expected"), [
    ("one two three four", "One two, three four!", [("one two three four", "One two, three four")]),
    ("alpha beta gamma delta", "epsilon zeta eta theta", []),
    ("a b c d e f g h", "a b c X Y d e f g h", [("a b c", "a b c"), ("d e f g h", "d e f g h")]),
    ("a b X c d e", "a b Y c d e", [("c d e", "c d e")]),  # two-word runs are chance matches
    ("", "anything at all here", []),
])
def test_shared_passages_by_hand(a: str, b: str, expected: list[tuple[str, str]]) -> None:
    assert [(a[s:e], b[t:u]) for s, e, t, u in shared_passages(a, b)] == expected


def test_shared_passages_stop_at_max_words() -> None:
    text = " ".join(f"w{i}" for i in range(100))
    (span,) = shared_passages(text, text, max_words=10)
    assert text[span[0]:span[1]] == " ".join(f"w{i}" for i in range(10))


WORDS = ["the", "army", "took", "town", "on", "monday", "said", "residents"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40), st.lists(st.sampled_from(WORDS), max_size=40))
def test_shared_passages_are_equal_ordered_and_long_enough(wa: list[str], wb: list[str]) -> None:
    a, b = " ".join(wa), " ".join(wb).upper()
    spans = shared_passages(a, b)
    for s, e, t, u in spans:
        words = tokenize(a[s:e]).words
        assert words == tokenize(b[t:u]).words and len(words) >= MIN_SHARED_WORDS
    assert all(x[1] <= y[0] and x[3] <= y[2] for x, y in zip(spans, spans[1:], strict=False))
