"""The licences of the phrase data: each built file gets a ``<name>.LICENSE`` naming its sources and their terms."""

from __future__ import annotations

from pathlib import Path

__all__ = ["LICENCES", "write_licence"]

LICENCES = {
    "wordfreq": (
        "wordfreq 3.x (PyPI, https://github.com/rspeer/wordfreq) by Robyn Speer: code Apache-2.0, word "
        "frequency data CC BY-SA 4.0 (built from Wikipedia, subtitles, news, books, web text, Twitter and "
        "Reddit; see the wordfreq README for the sources' own terms). The Zipf values here are a derived "
        "work of that data and are shared under CC BY-SA 4.0."
    ),
    "cmu": (
        "CMU Sphinx US English language model en-us.lm.bin (Debian package pocketsphinx-en-us 0.8+5prealpha), "
        "Copyright 1995-2014 Carnegie Mellon University, 2014-2015 Alpha Cephei Inc., BSD 2-clause licence: "
        "redistribution in binary form must reproduce the copyright notice, the conditions and the "
        "disclaimer (THIS SOFTWARE IS PROVIDED BY CARNEGIE MELLON UNIVERSITY 'AS IS' AND ANY EXPRESSED OR "
        "IMPLIED WARRANTIES ... ARE DISCLAIMED); see /usr/share/doc/pocketsphinx-en-us/copyright."
    ),
    "wordnet": (
        "WordNet 3.0 (Debian package wordnet-base), Copyright 2006 by Princeton University, WordNet 3.0 "
        "licence: permission to use, copy, modify and distribute for any purpose without fee, provided the "
        "copyright notice and disclaimer appear on all copies. THIS DATABASE IS PROVIDED 'AS IS' AND "
        "PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. See "
        "/usr/share/doc/wordnet-base/copyright for the full text."
    ),
    "mythes": (
        "MyThes English (USA) thesaurus th_en_US_v2 (Debian package mythes-en-us, from the LibreOffice "
        "dictionaries), itself generated from Princeton WordNet; distributed by LibreOffice under the "
        "WordNet licence above (Debian lists dictionaries/en/* under Kevin Atkinson's permissive licence "
        "and the collection under MPL-2.0; see /usr/share/doc/mythes-en-us/copyright)."
    ),
}


def write_licence(path: Path, what: str, sources: list[str]) -> None:
    text = [
        f"{path.name}: {what}",
        "",
        "Derived by scripts/build_phrase_data.py in this repository (run it again to rebuild). Sources:",
        "",
    ]
    text += [f"- {LICENCES[s]}" for s in sources]
    path.with_name(path.name + ".LICENSE").write_text("\n".join(text) + "\n", encoding="utf-8")
