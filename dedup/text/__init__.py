"""Text: normalising, tokenising with offsets, the batch fast path that reads many texts at once, English word
classes (``words``) and where sentences end (``sentences``)."""
