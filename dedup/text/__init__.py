"""Text: normalising, tokenising with offsets, and the batch fast path that reads many texts at once."""
