"""Engines run a stage over batches: the local process pool today."""
