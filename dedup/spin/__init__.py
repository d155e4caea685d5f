"""The phrase checks: whether one text reads as spun, with no source to compare it with."""
