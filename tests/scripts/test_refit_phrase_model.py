"""Tests of the refit script: it runs both ways, writes the shipped layout and licence, and the old way points here.

The refit itself takes a minute or so and needs scikit-learn (the ``bench`` extra) and the Lee corpus;
``test_refit_reproduces_the_shipped_model`` runs it when both are at hand and skips otherwise.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from benchmarks import phrase_bench
from scripts import refit_phrase_model
from scripts.refit_phrase_model import MODEL_LICENCE, write_model
from tests.scripts.running import help_text

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "dedup" / "data" / "phrase_model.json"


@pytest.mark.parametrize("command", [["scripts/refit_phrase_model.py"], ["-m", "scripts.refit_phrase_model"]],
                         ids=["file", "module"])
def test_help_works_both_ways(command: list[str]) -> None:
    shown = help_text(command)
    assert "Refit the calibrated model of the phrase checks" in shown
    assert "--out" in shown


def test_licence_written_is_the_shipped_licence() -> None:
    shipped = SHIPPED.with_name(SHIPPED.name + ".LICENSE").read_text(encoding="utf-8")
    assert shipped == MODEL_LICENCE


def test_write_model_gives_the_shipped_bytes(tmp_path: Path) -> None:
    # The shipped model, written again, is byte for byte the shipped file: a refit that fits the same
    # numbers leaves git diff empty.
    model = json.loads(SHIPPED.read_text(encoding="utf-8"))
    path = write_model(model, tmp_path)
    assert path == tmp_path / "phrase_model.json"
    assert path.read_bytes() == SHIPPED.read_bytes()
    assert (tmp_path / "phrase_model.json.LICENSE").read_bytes() == SHIPPED.with_name(
        "phrase_model.json.LICENSE").read_bytes()


def test_missing_output_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="absent is not a folder"):
        refit_phrase_model.main(["--out", str(tmp_path / "absent")])


def test_old_benchmark_flag_points_to_the_script(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        phrase_bench.main(["--calibrate"])
    assert exit_info.value.code == 2
    assert "python scripts/refit_phrase_model.py" in capsys.readouterr().err


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None,
                    reason="refitting needs scikit-learn: pip install -e '.[bench]'")
def test_refit_reproduces_the_shipped_model(tmp_path: Path) -> None:
    from benchmarks.devdata import DevDataUnavailable
    from benchmarks.spinner import ThesaurusNotInstalled, load_thesaurus

    try:
        phrase_bench.lee_articles()
        for thesaurus in phrase_bench.THESAURI:
            load_thesaurus(thesaurus)
    except (DevDataUnavailable, ThesaurusNotInstalled) as exc:
        pytest.skip(str(exc))
    from benchmarks.spin_families import CORPORA

    if not all((CORPORA / name).exists() for name in ("brown.jsonl.gz", "reuters21578.jsonl.gz")):
        pytest.skip(f"the threshold's clean news (Brown, Reuters-21578) is not in {CORPORA}")
    assert refit_phrase_model.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / "phrase_model.json").read_bytes() == SHIPPED.read_bytes()
