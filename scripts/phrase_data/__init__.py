"""The parts of ``scripts/build_phrase_data.py``: source readers, synonymy and morphology, language model
writers and licences."""
