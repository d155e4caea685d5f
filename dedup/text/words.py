"""English word classes: the one place that says which words are function words, for every stage.

Closed-class words (articles, pronouns, auxiliaries, conjunctions, prepositions...) are shared by any two
English texts, so a stage that compares texts must not count them as evidence; and a synonym spinner leaves
most of them alone, so a stage that looks for spinning keeps them. Each class below is written once, from
general English grammar, as normalised word forms (``dedup.text.normalize``: lower case, plain apostrophe).

The stages do not all want the same union, on purpose: a spinner swaps prepositions and adverbs but keeps
pronouns and auxiliaries, so the spin-resistant sets leave those classes out. Each stage's set is a named
union of the classes here, with the reason it differs (``ALIGNMENT_FUNCTION_WORDS``, ``SKELETON_WORDS``,
``PHRASE_FUNCTION_WORDS``, ``NEVER_SWAPPED``). Every one of them keeps exactly the words its stage was
calibrated with: putting ``FUNCTION_WORDS`` in the place of any of them, or one in the place of another,
changes results (measured with the scan reports of the comparison corpora, and for the alignment on a
sentence pair, see ``ALIGNMENT_FUNCTION_WORDS``).

>>> "the" in FUNCTION_WORDS and "across" in PREPOSITIONS
True
>>> sorted(SKELETON_WORDS & PREPOSITIONS)
[]
"""

from __future__ import annotations

__all__ = [
    "ALIGNMENT_FUNCTION_WORDS",
    "ARTICLES",
    "AUXILIARIES",
    "CONJUNCTIONS",
    "CONNECTIVE_ADVERBS",
    "CONTRACTIONS",
    "DEICTIC_ADVERBS",
    "DEMONSTRATIVES",
    "FOCUS_ADVERBS",
    "FUNCTION_WORDS",
    "NEGATIONS",
    "NEVER_SWAPPED",
    "NUMBER_WORDS",
    "PARTICLES",
    "PHRASE_FUNCTION_WORDS",
    "PREPOSITIONS",
    "PRONOUNS",
    "QUANTIFIERS",
    "SKELETON_WORDS",
    "WH_WORDS",
]


def _words(text: str) -> frozenset[str]:
    """A class written as words separated by white space (easier to read and review than a set literal)."""
    return frozenset(text.split())


ARTICLES = _words("a an the")
"""Articles."""

DEMONSTRATIVES = _words("this that these those")
"""Demonstrative determiners and pronouns."""

PRONOUNS = _words("it its they them their he him his she her we us our you your i me my")
"""Personal pronouns and possessive determiners."""

WH_WORDS = _words("who whom whose which what when where why how")
"""Interrogative and relative words."""

DEICTIC_ADVERBS = _words("there here")
"""``there`` (existential as well as a place) and ``here``."""

CONJUNCTIONS = _words("and or but nor if than because while although though as")
"""Coordinating and subordinating conjunctions that are nothing else (compare ``CONNECTIVE_ADVERBS``)."""

CONNECTIVE_ADVERBS = _words("so yet then")
"""Words that join clauses but are adverbs as much as conjunctions; spinners swap them ("so" -> "thus")."""

NEGATIONS = _words("not no")
"""Negation."""

AUXILIARIES = _words(
    "be am is are was were been being have has had do does did will would shall should can could may might must"
)
"""Forms of ``be``, ``have`` and ``do``, and the modals."""

PREPOSITIONS = _words(
    "of in on at to for from with by into onto over under about after before between through during against across"
)
"""Common prepositions."""

PARTICLES = _words("up out off down")
"""Adverbial particles of phrasal verbs ("carry out"), prepositions too."""

QUANTIFIERS = _words("all any some each every both such")
"""Quantifying determiners."""

FOCUS_ADVERBS = _words("also too only just more most very")
"""Focusing and degree adverbs; spinners swap them ("also" -> "additionally")."""

CONTRACTIONS = _words("it's 's s")
"""Contracted forms and the pieces a tokeniser can leave of them (a possessive ``'s``, a lone ``s``)."""

NUMBER_WORDS = _words(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds
    thousand thousands million millions billion billions trillion dozen dozens first second third fourth
    fifth sixth seventh eighth ninth tenth
    """
)
"""Numbers spelt out, cardinal and ordinal."""

FUNCTION_WORDS = (
    ARTICLES | DEMONSTRATIVES | PRONOUNS | WH_WORDS | DEICTIC_ADVERBS | CONJUNCTIONS | CONNECTIVE_ADVERBS
    | NEGATIONS | AUXILIARIES | PREPOSITIONS | PARTICLES | QUANTIFIERS | FOCUS_ADVERBS | CONTRACTIONS
)
"""Every closed-class word above (numbers aside): the general set, for code without a calibrated variant."""

# The stages' own sets. Each is the set its stage was measured and calibrated with, written as the classes
# above, with any word it leaves out of a class or adds named, so that changing one is a visible decision.

ALIGNMENT_FUNCTION_WORDS = FUNCTION_WORDS - {"across"}
"""What cannot anchor an alignment on its own, nor count as content when sentences are paired
(``dedup.verify.align``, ``dedup.verify.derivation``): two unrelated texts share these everywhere.
Without ``across``, as the alignment was measured (``benchmarks/pair_bench.py``): with it, the scan reports
of the comparison corpora stay the same, but a lone shared "across" no longer anchors an alignment
("Rebel units marched across northern hills." against "Army troops drove across southern plains."
goes from coverage 1.0 to 0.0) and the benchmark's function-word noise draws from another pool."""

SKELETON_WORDS = (
    ARTICLES | DEMONSTRATIVES | PRONOUNS | {"it's"} | WH_WORDS | {"there"} | CONJUNCTIONS | NEGATIONS | AUXILIARIES
)
"""The skeleton a spinner leaves alone (``dedup.verify.anchors``): articles, pronouns, auxiliaries,
conjunctions and negation. Prepositions, particles and adverbs (``here`` and ``CONNECTIVE_ADVERBS`` among
them) are left out on purpose: spinners do swap them ("by" -> "through", "also" -> "additionally")."""

PHRASE_FUNCTION_WORDS = (
    (PREPOSITIONS - {"after", "before", "between", "during", "against"}) | PARTICLES
    | ARTICLES | DEMONSTRATIVES | PRONOUNS | WH_WORDS | DEICTIC_ADVERBS | NEGATIONS | AUXILIARIES
    | {"and", "or", "but", "nor", "if", "than", "as", "so", "then"} | {"all", "any", "each", "some", "one"}
)
"""Words that are never the swapped slot of a fixed expression (``dedup.spin.data``). The phrase checks
keep the set they were calibrated with: the commoner prepositions and conjunctions only, the quantifiers
``all any each some`` and ``one``, no contractions. (``FUNCTION_WORDS | {"one"}`` in its place, and so in
``NEVER_SWAPPED``, changes the scan reports of all six comparison corpora.)"""

NEVER_SWAPPED = (PHRASE_FUNCTION_WORDS - PREPOSITIONS - PARTICLES) | NUMBER_WORDS
"""Words no spinner swaps, never a phrase-check candidate (``dedup.spin.analysis``): the phrase checks'
function words but the prepositions (spinners do swap them, "through" for "by"), and numbers (kept by
spinners, spelt out or not: "two" never becomes "ii"). The same idea as ``SKELETON_WORDS``, but each
set is the one its stage was calibrated with: either in the place of the other changes the scan reports
(measured on the comparison corpora)."""
