"""Sketches of a text: shingles, their hashes, MinHash signatures, and the features verification reads."""
