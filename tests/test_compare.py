"""Tests of dedup.compare: ``compare_texts`` gives the relation a scan of the two texts reports, on many
generated pairs; and ``compare_pairs_file`` keeps order and ids, and names the line of an error."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

from dedup import Document, LocalEngine, ScanConfig, compare_pairs_file, compare_texts, scan
from dedup.errors import ConfigError, InputError
from dedup.verify.relations import MIN_JUDGED_WORDS, MIN_SPUN_WORDS

SEEDS = sorted((Path(__file__).resolve().parents[1] / "examples" / "seeds").glob("*.txt"))
CONFIG = ScanConfig()
# Written by hand: a synonym for each of a few dozen common news words, for when the Debian thesaurus (which
# benchmarks.spinner reads) is not installed.
SYNONYMS = {
    "said": "stated", "forces": "troops", "city": "metropolis", "town": "township", "border": "frontier",
    "government": "administration", "fighters": "combatants", "control": "command", "left": "remaining",
    "after": "following", "talks": "discussions", "officials": "authorities", "country": "nation",
    "attack": "assault", "people": "persons", "killed": "slain", "large": "big", "area": "region",
    "near": "close to", "support": "backing", "began": "started", "end": "finish", "help": "aid",
    "small": "little", "big": "large", "state": "province", "week": "seven days", "group": "band",
}


def paragraphs() -> list[str]:
    """The seed articles' paragraphs of 25 words or more."""
    found = []
    for path in SEEDS:
        found += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) >= 25]
    return found


def spun(text: str, rate: float, seed: int) -> str:
    """``text`` spun at ``rate``: by ``benchmarks.spinner`` when its thesaurus is installed, else by hand (the
    words ``SYNONYMS`` knows, and a share ``rate`` of the other lower-case words swapped for one of its)."""
    from benchmarks.spinner import ThesaurusNotInstalled, spin

    try:
        return spin(text, rate, seed=seed).text
    except ThesaurusNotInstalled:
        rng = random.Random(seed)
        others = sorted(set(SYNONYMS.values()))
        swapped = [SYNONYMS.get(w) or (rng.choice(others) if w.isalpha() and w.islower() and len(w) > 3
                                       and rng.random() < rate else w) for w in text.split(" ")]
        return " ".join(swapped)


def generated_pairs(count: int = 8) -> list[tuple[str, str, str]]:
    """``count`` pairs of each kind, as ``(kind, a, b)``, drawn from the seeds' paragraphs with one seed."""
    rng = random.Random(5)
    pool = paragraphs()

    def story(k: int, apart_from: int | None = None) -> tuple[int, str]:
        """``k`` paragraphs in a row and where they start; none near ``apart_from``, when given."""
        i = rng.randrange(len(pool) - k)
        while apart_from is not None and abs(i - apart_from) < 2 * k:
            i = rng.randrange(len(pool) - k)
        return i, "\n\n".join(pool[i : i + k])

    made = []
    for n in range(count):
        start, text = story(3)
        words = text.split(" ")
        for _ in range(3):
            words[rng.randrange(len(words))] = rng.choice(["alpha", "beta", "gamma"])
        short = " ".join(text.split()[: rng.randint(5, 15)])
        short_words = short.split()
        short_words[rng.randrange(len(short_words))] = "zzz"
        made += [
            ("exact", text, text.upper().replace(" ", "  ")),
            ("near_duplicate", text, " ".join(words)),
            ("trimmed", text, text.split("\n\n")[0]),
            ("extended", text, text + "\n\n" + story(3, apart_from=start)[1]),
            ("spun", text, spun(text, rng.uniform(0.15, 0.5), seed=n)),
            ("unrelated", text, story(3, apart_from=start)[1]),
            ("short", short, " ".join(short_words)),
            ("short spun", short, spun(short, 0.5, seed=n)),
        ]
    return made


PAIRS = generated_pairs()


def scanned_relation(a: str, b: str) -> str | None:
    report = scan([Document("a", a), Document("b", b)], CONFIG, engine=LocalEngine(1))
    assert len(report.pairs) <= 1
    return report.pairs[0].relation if report.pairs else None


@pytest.mark.parametrize(("kind", "a", "b"), PAIRS, ids=[f"{kind}-{n // 8}" for n, (kind, _, _) in enumerate(PAIRS)])
def test_compare_gives_the_relation_a_scan_of_the_two_reports(kind: str, a: str, b: str) -> None:
    assert compare_texts(a, b, CONFIG).relation == scanned_relation(a, b)


# The relation each kind of generated pair gets; the short kinds fall on either side of the floors.
EXPECTED = {"exact": "exact", "near_duplicate": "near_duplicate", "trimmed": "partial", "extended": "partial",
            "spun": "spun", "unrelated": None}


# A paragraph rewritten as spinners do at their usual rates: the second sentence phrase by phrase between lone
# kept function words (a stretch the alignment bridges), nearly every content word swapped, so the pair keeps
# 0.28 of its character n-grams (under SPUN_CANDIDATE) with its skeleton, names and figures.
BOY = ("Sergeant Potts says the boy was left on the street when the offender discovered the child shortly "
       "after taking the car. Members of the public found the boy sitting on a kerb and returned him to his "
       "parents in Darwin.")
BOY_SPUN = ("Sergeant Potts states the youngster was abandoned upon the roadway when the culprit noticed the child "
            "soon following seizing the vehicle. Individuals from the populace located the boy resting upon a curb "
            "and delivered him towards his guardians inside Darwin.")
# The same rewrite told of other people in another town: what a template story is.
BOY_ELSEWHERE = BOY_SPUN.replace("Potts", "Hill").replace("Darwin", "Perth")
POLICE = ("Police pursued the stolen car along the Stuart Highway. Senior Sergeant Potts says the man was caught "
          "after the short chase through the bush and is being questioned by detectives.")
POLICE_SPUN = ("Police pursued the stolen car along the Stuart Highway. Senior Sergeant Potts puts forward the adult "
               "male was paid off following the fading pursuit direct the bush and is being questioned by detectives.")


@pytest.mark.parametrize(
    ("a", "b", "bridge_span", "low_chars", "expected"),
    [
        (POLICE, POLICE_SPUN, None, None, "spun"),
        (POLICE, POLICE_SPUN, 0, None, None),  # without the bridge: coverage 0.67, and no other relation
        (BOY, BOY_SPUN, None, None, "spun"),
        (BOY, BOY_SPUN, None, 0.35, None),  # without the character gate's second chance: not aligned
        (BOY, BOY_ELSEWHERE, None, None, None),  # other names: no second chance
    ],
    ids=["bridged", "not-bridged", "few-characters", "character-gate", "other-names"],
)
def test_heavy_rewrites_get_the_same_verdict_from_compare_and_scan(
    monkeypatch: pytest.MonkeyPatch, a: str, b: str, bridge_span: int | None, low_chars: float | None,
    expected: str | None,
) -> None:
    import dedup.verify.align as align_module
    import dedup.verify.relations as relations_module

    if bridge_span is not None:
        monkeypatch.setattr(align_module, "BRIDGE_SPAN", bridge_span)
    if low_chars is not None:
        monkeypatch.setattr(relations_module, "SPUN_CANDIDATE_SAME_NAMES", low_chars)
    assert 0.2 <= compare_texts(BOY, BOY_SPUN).details["char_containment"] < relations_module.SPUN_CANDIDATE
    assert compare_texts(a, b, CONFIG).relation == scanned_relation(a, b) == expected


@pytest.mark.parametrize("kind", sorted(EXPECTED, key=str))
def test_the_generated_pairs_are_the_copies_they_claim(kind: str) -> None:
    # So that the agreement above is agreement on copies of every kind, not on "no pair" throughout.
    found = [compare_texts(a, b, CONFIG).relation for k, a, b in PAIRS if k == kind]
    assert found == [EXPECTED[kind]] * len(found)


def test_short_texts_are_judged_only_past_the_floors() -> None:
    for kind, a, b in PAIRS:
        if not kind.startswith("short"):
            continue
        relation = compare_texts(a, b, CONFIG).relation
        shorter = min(len(a.split()), len(b.split()))
        if shorter < MIN_JUDGED_WORDS:
            assert relation in (None, "exact"), (a, b, relation)
        if shorter < MIN_SPUN_WORDS:
            assert relation != "spun", (a, b)


def test_a_short_near_copy_past_the_floor_is_found_and_below_it_is_not() -> None:
    long_enough = "the minister said on monday that the new budget would cut taxes for families"
    assert compare_texts(long_enough, long_enough.replace("monday", "tuesday")).relation == "near_duplicate"
    short = " ".join(long_enough.split()[: MIN_JUDGED_WORDS - 1])
    assert compare_texts(short, short.replace("monday", "tuesday")).relation is None
    assert compare_texts(short, short.upper()).relation == "exact"


def test_a_comparison_reports_its_figures_and_substitutions() -> None:
    kind, a, b = next(p for p in PAIRS if p[0] == "spun")
    found = compare_texts(a, b)
    assert found.relation == "spun" and 0.0 <= found.score <= 1.0
    out = found.to_dict()
    assert list(out)[:4] == ["relation", "score", "jaccard", "containment"]
    assert out["substitutions"], "a spun pair lists its substitutions"
    for s in out["substitutions"]:
        assert a[s["a_start"] : s["a_end"]] == s["original"] and b[s["b_start"] : s["b_end"]] == s["replacement"]
    pair = found.as_pair("x", "y")
    assert (pair.a, pair.b, pair.relation) == ("x", "y", "spun") and pair.substitutions


def test_no_relation_is_none_and_lists_no_substitution() -> None:
    _, a, b = next(p for p in PAIRS if p[0] == "unrelated")
    found = compare_texts(a, b)
    assert found.relation is None and "substitutions" not in found.to_dict()
    assert found.as_pair("x", "y").relation == "" and found.as_pair("x", "y").substitutions == ()


@pytest.mark.parametrize("args", [(None, "text"), ("text", b"bytes")])
def test_texts_must_be_strings(args: tuple[object, object]) -> None:
    with pytest.raises(ConfigError, match="compare_texts: (a|b) must be a str"):
        compare_texts(*args)  # type: ignore[arg-type]


def pairs_lines(rows: list[dict]) -> list[str]:
    return [json.dumps(r) + "\n" for r in rows]


@pytest.mark.parametrize(("batch", "workers"), [(500, 1), (2, 1), (2, 2)])
def test_pairs_file_keeps_the_input_order_and_ids(batch: int, workers: int) -> None:
    chosen = PAIRS[:8]
    rows: list[dict] = [{"id": f"p{n}", "a": a, "b": b} for n, (_, a, b) in enumerate(chosen)]
    del rows[3]["id"]  # no id: the line number stands in
    lines = pairs_lines(rows[:5]) + ["\n"] + pairs_lines(rows[5:])  # a blank line counts, but is no pair
    out = io.StringIO()
    written = compare_pairs_file(lines, out, batch=batch, engine=LocalEngine(workers))
    scored = [json.loads(line) for line in out.getvalue().splitlines()]
    assert written == len(scored) == 8
    assert [s["id"] for s in scored] == ["p0", "p1", "p2", 4, "p4", "p5", "p6", "p7"]
    for s, (_, a, b) in zip(scored, chosen, strict=True):
        assert s == {"id": s["id"], **json.loads(json.dumps(compare_texts(a, b).to_dict()))}


def test_pairs_file_reads_bytes() -> None:
    out = io.StringIO()
    lines = [json.dumps({"id": 1, "a": "caf\u00e9 one two", "b": "caf\u00e9 one two"}).encode()]
    assert compare_pairs_file(lines, out, engine=LocalEngine(1)) == 1
    assert json.loads(out.getvalue())["relation"] == "exact"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{"id": 2, "a": "x", "b": ', "<pairs>:2: not valid JSON"),
        ("[1, 2]", "<pairs>:2: a line must be a JSON object"),
        ('{"id": 2, "a": "x"}', "<pairs>:2: field 'b' is missing or not a string (keys: a, id)"),
        ('{"id": 2, "a": 7, "b": "y"}', "<pairs>:2: field 'a' is missing or not a string"),
        (b'{"id": 2, "a": "caf\xe9", "b": "y"}', "<pairs>:2: not valid UTF-8 at byte 19 of the line"),
    ],
)
def test_a_bad_line_is_an_input_error_naming_it(bad: str | bytes, message: str) -> None:
    good = '{"id": 1, "a": "x", "b": "y"}\n'
    lines = [good.encode(), bad] if isinstance(bad, bytes) else [good, bad]
    with pytest.raises(InputError) as caught:
        compare_pairs_file(lines, io.StringIO(), engine=LocalEngine(1))
    assert str(caught.value).startswith(message)
    assert caught.value.line == 2 and caught.value.path == "<pairs>"


def test_the_source_names_the_file_in_errors() -> None:
    with pytest.raises(InputError, match=r"^pairs\.jsonl:1: not valid JSON"):
        compare_pairs_file(["{"], io.StringIO(), source="pairs.jsonl", engine=LocalEngine(1))
