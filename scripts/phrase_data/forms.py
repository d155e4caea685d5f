"""Synonymy and morphology of the phrase data: which synonyms a word form may have replaced, inflected like it.

Synonymy is the symmetric union of WordNet synsets and MyThes entries (``synonym_graph``); a form is
analysed into its lemmas with WordNet's "morphy" rules and exception lists (``analyses``) and each synonym
is inflected back like the form (``inflections``). ``write_alternatives`` writes the result as
``phrase_alternatives.npz``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from scripts.phrase_data.sources import POS_FILES

__all__ = ["alternatives", "analyses", "inflections", "irregular_forms", "phrase_alternatives", "synonym_graph",
           "write_alternatives"]

# An alternative must be at least this common to be worth restoring: news writers rarely use rarer words,
# and every extra alternative is one more chance of a false alarm on clean text.
MIN_ALT_ZIPF = 2.0
# Most alternatives kept per form, most frequent first; the original of a swap is nearly always among the
# commonest synonyms of the word that replaced it.
MAX_ALTERNATIVES = 8

# WordNet's "morphy" detachment rules: (suffix, replacement, form).
_RULES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "noun": (("s", "", "s"), ("ses", "s", "s"), ("xes", "x", "s"), ("zes", "z", "s"), ("ches", "ch", "s"),
             ("shes", "sh", "s"), ("men", "man", "s"), ("ies", "y", "s")),
    "verb": (("s", "", "s"), ("ies", "y", "s"), ("es", "e", "s"), ("es", "", "s"), ("ed", "e", "ed"),
             ("ed", "", "ed"), ("ing", "e", "ing"), ("ing", "", "ing")),
    "adj": (("er", "", "er"), ("est", "", "est"), ("er", "e", "er"), ("est", "e", "est")),
    "adv": (),
}
_VOWELS = frozenset("aeiou")


def synonym_graph(
    synsets: dict[str, list[set[str]]], mythes: dict[str, list[tuple[str, list[str]]]]
) -> dict[tuple[str, str], set[str]]:
    """Symmetric synonymy between lower-case lemmas of one part of speech: ``(lemma, pos) -> lemmas``."""
    graph: dict[tuple[str, str], set[str]] = defaultdict(set)

    def link(a: str, b: str, pos: str) -> None:
        # Capitalised members are names ("Washington"); a spinner that keeps names never swaps them in.
        if a == b or not a.islower() or not b.islower():
            return
        graph[(a, pos)].add(b)
        graph[(b, pos)].add(a)

    for pos, groups in synsets.items():
        for group in groups:
            members = sorted(group)
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    link(a, b, pos)
    for head, senses in mythes.items():
        for pos, terms in senses:
            for term in terms:
                link(head, term, pos)
    return graph


def analyses(
    form: str, lemmas: set[tuple[str, str]], exceptions: dict[str, dict[str, str]]
) -> list[tuple[str, str, str]]:
    """Every ``(lemma, pos, inflection)`` reading of a word form whose lemma the thesauri know."""
    found: list[tuple[str, str, str]] = []
    for pos in POS_FILES:
        if (form, pos) in lemmas:
            found.append((form, pos, ""))
        lemma = exceptions[pos].get(form)
        if lemma is not None and (lemma, pos) in lemmas:
            found.append((lemma, pos, _exception_form(form, pos)))
        for suffix, replacement, inflection in _RULES[pos]:
            if form.endswith(suffix) and len(form) > len(suffix) + 1:
                stem = form[: -len(suffix)] + replacement
                candidates = [stem]
                # "stopped" -> "stop", "planning" -> "plan": undo the doubled final consonant.
                if replacement == "" and len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
                    candidates.append(stem[:-1])
                for lemma in candidates:
                    if (lemma, pos) in lemmas:
                        found.append((lemma, pos, inflection))
    return list(dict.fromkeys(found))


def _exception_form(form: str, pos: str) -> str:
    if pos == "noun":
        return "s"
    if pos == "verb":
        return "ing" if form.endswith("ing") else "s" if form.endswith("s") else "ed"
    if pos in ("adj", "adv"):
        return "est" if form.endswith("st") else "er"
    return ""


def inflections(
    lemma: str, pos: str, inflection: str, zipf: dict[str, float], irregular: dict[tuple[str, str, str], set[str]]
) -> list[str]:
    """Forms of ``lemma`` carrying ``inflection``, known to wordfreq; irregular forms first."""
    if not inflection:
        return [lemma]
    words = lemma.split(" ")
    # A verb phrase inflects its first word ("carried out"), anything else its last ("prime ministers").
    index = 0 if pos == "verb" else len(words) - 1
    head = words[index]
    forms = sorted(irregular.get((head, pos, inflection), set()))
    if not forms:
        forms = [f for f in _regular(head, inflection) if f in zipf]
        forms.sort(key=lambda f: -zipf[f])
        forms = forms[:1]
    return [" ".join([*words[:index], f, *words[index + 1 :]]) for f in forms]


def _regular(base: str, inflection: str) -> list[str]:
    consonant_y = base.endswith("y") and len(base) > 1 and base[-2] not in _VOWELS
    doubled = base + base[-1] if base and base[-1] not in "aeiouwxy" else base
    if inflection == "s":
        if consonant_y:
            return [base[:-1] + "ies"]
        return [base + "es", base + "s"]
    if inflection == "ed":
        if consonant_y:
            return [base[:-1] + "ied"]
        if base.endswith("e"):
            return [base + "d"]
        return [base + "ed", doubled + "ed"]
    if inflection == "ing":
        if base.endswith("ie"):
            return [base[:-2] + "ying"]
        if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
            return [base[:-1] + "ing"]
        return [base + "ing", doubled + "ing"]
    if inflection in ("er", "est"):
        if consonant_y:
            return [base[:-1] + "i" + inflection]
        if base.endswith("e"):
            return [base + inflection[1:]]
        return [base + inflection, doubled + inflection]
    return [base]


def irregular_forms(exceptions: dict[str, dict[str, str]]) -> dict[tuple[str, str, str], set[str]]:
    """``(lemma, pos, inflection) -> forms`` read off WordNet's exception lists ("go" -> "went", "gone")."""
    table: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for pos, forms in exceptions.items():
        for form, lemma in forms.items():
            if " " not in form and form != lemma:
                table[(lemma, pos, _exception_form(form, pos))].add(form)
    return table


def alternatives(
    forms: Iterable[str],
    graph: dict[tuple[str, str], set[str]],
    exceptions: dict[str, dict[str, str]],
    zipf: dict[str, float],
) -> dict[str, list[str]]:
    """For each form, the synonyms (inflected like it) that a swap may have replaced, commonest first."""
    lemmas = set(graph)
    irregular = irregular_forms(exceptions)
    result: dict[str, list[str]] = {}
    for form in forms:
        scored: dict[str, float] = {}
        for lemma, pos, inflection in analyses(form, lemmas, exceptions):
            for synonym in graph[(lemma, pos)]:
                for candidate in inflections(synonym, pos, inflection, zipf, irregular):
                    words = candidate.split(" ")
                    if candidate == form or form in words or len(words) > 3:
                        continue
                    if not all(w in zipf for w in words):
                        continue
                    # A phrase is as common as its rarest word, less a penalty: phrases are rarer than words.
                    commonness = min(zipf[w] for w in words) - 0.5 * (len(words) - 1)
                    if commonness >= MIN_ALT_ZIPF:
                        scored[candidate] = max(scored.get(candidate, -1.0), commonness)
        if scored:
            ranked = sorted(scored, key=lambda c: (-scored[c], c))
            result[form] = ranked[:MAX_ALTERNATIVES]
    return result



def phrase_alternatives(
    phrases: list[str],
    graph: dict[tuple[str, str], set[str]],
    exceptions: dict[str, dict[str, str]],
    zipf: dict[str, float],
    irregular: dict[tuple[str, str, str], set[str]],
) -> dict[str, list[str]]:
    """Alternatives of multi-word forms: the phrase itself as a lemma, or its first word inflected."""
    lemmas = set(graph)
    result: dict[str, list[str]] = {}
    for phrase in phrases:
        first, rest = phrase.split(" ", 1)
        readings = [(phrase, pos, "") for pos in POS_FILES if (phrase, pos) in lemmas]
        for head_lemma, pos, inflection in analyses(first, _first_words(lemmas), exceptions):
            candidate = f"{head_lemma} {rest}"
            if pos == "verb" and inflection and (candidate, "verb") in lemmas:
                readings.append((candidate, "verb", inflection))
        scored: dict[str, float] = {}
        for lemma, pos, inflection in readings:
            for synonym in graph[(lemma, pos)]:
                for candidate in inflections(synonym, pos, inflection, zipf, irregular):
                    words = candidate.split(" ")
                    if candidate == phrase or len(words) > 3 or not all(w in zipf for w in words):
                        continue
                    commonness = min(zipf[w] for w in words) - 0.5 * (len(words) - 1)
                    if commonness >= MIN_ALT_ZIPF:
                        scored[candidate] = max(scored.get(candidate, -1.0), commonness)
        if scored:
            result[phrase] = sorted(scored, key=lambda c: (-scored[c], c))[:MAX_ALTERNATIVES]
    return result


_FIRST_WORDS: dict[int, set[tuple[str, str]]] = {}


def _first_words(lemmas: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """``(first word, "verb")`` of every multi-word verb lemma, so "carried" analyses as "carry"."""
    key = id(lemmas)
    if key not in _FIRST_WORDS:
        _FIRST_WORDS[key] = {
            (lemma.split(" ", 1)[0], "verb") for lemma, pos in lemmas if pos == "verb" and " " in lemma
        }
    return _FIRST_WORDS[key]


def write_alternatives(path: Path, table: dict[str, list[str]]) -> int:
    """Write ``phrase_alternatives.npz``: ``forms`` and ``alternatives`` as newline-joined UTF-8 text and
    ``counts`` (how many alternatives each form has, in order). Word ids are resolved when loading.
    """
    forms = sorted(table)
    with path.open("wb") as handle:
        np.savez_compressed(
            handle,
            forms=np.frombuffer("\n".join(forms).encode("utf-8"), dtype=np.uint8),
            alternatives=np.frombuffer("\n".join(a for f in forms for a in table[f]).encode("utf-8"), dtype=np.uint8),
            counts=np.array([len(table[f]) for f in forms], dtype=np.uint8),
        )
    return len(forms)

