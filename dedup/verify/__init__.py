"""Verification: a pair's relation and figures (shingle sets, alignment, anchors, derivation, repeats, boilerplate)."""
