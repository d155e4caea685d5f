"""End-to-end tests of the ``dedup`` command on the sample articles and on bad input."""

from __future__ import annotations

import errno
import io
import json
import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"
SEED_IDS = sorted(p.name for p in SEEDS.glob("*.txt"))


def run(*args: str, input: str | None = None):  # noqa: A002 - click's name
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("seeds") / "report.json"
    result = run("scan", str(SEEDS), "--json", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def test_seeds_have_no_pair(seed_report: dict) -> None:
    assert seed_report["schema"] == "dedup.report/1"
    assert seed_report["pairs"] == []
    assert seed_report["clusters"] == []
    assert [d["id"] for d in seed_report["documents"]] == SEED_IDS


def test_seed_000_repeats_caption_and_notice(seed_report: dict) -> None:
    doc = next(d for d in seed_report["documents"] if d["id"].startswith("000_"))
    text = (SEEDS / doc["id"]).read_text(encoding="utf-8")
    repeated = [text[r["start"] : r["end"]] for r in doc["repeats"]]
    caption = "There was fierce fighting at a military airport in the northeastern city of Deir Ezzor"
    assert repeated.count(caption) == 2
    assert any("update your payment details" in passage for passage in repeated)
    assert all(r["count"] >= 2 for r in doc["repeats"])


def test_seed_documents_report_their_length(seed_report: dict) -> None:
    for doc in seed_report["documents"]:
        assert doc["chars"] == len((SEEDS / doc["id"]).read_text(encoding="utf-8"))


def test_same_input_gives_byte_identical_report(tmp_path: Path) -> None:
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    for out in (first, second):
        assert run("scan", str(SEEDS), "--json", str(out), "-q").exit_code == 0
    assert first.read_bytes() == second.read_bytes()


@pytest.fixture
def copies(tmp_path: Path) -> Path:
    story = (SEEDS / SEED_IDS[1]).read_text(encoding="utf-8")
    other = (SEEDS / SEED_IDS[2]).read_text(encoding="utf-8")
    trimmed = story[: story.index("\n", int(len(story) * 0.4))]
    rows = [
        {"id": "orig", "text": story},
        {"id": "same", "text": story.upper()},
        {"id": "other", "text": other},
        {"id": "half", "text": trimmed},
    ]
    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_copies_found_clustered_and_split(copies: Path, tmp_path: Path) -> None:
    keep, removed, pairs = tmp_path / "keep.jsonl", tmp_path / "removed.jsonl", tmp_path / "pairs.csv"
    result = run("scan", str(copies), "-q", "--keep", str(keep), "--removed", str(removed), "--pairs", str(pairs),
                 "--json", str(tmp_path / "r.json"))
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())
    relations = {(p["a"], p["b"]): p["relation"] for p in report["pairs"]}
    assert relations[("orig", "same")] == "exact"
    assert relations[("orig", "half")] == "partial"
    assert not any("other" in key for key in relations)
    assert report["clusters"] == [{"id": 1, "members": ["orig", "same", "half"], "representative": "orig"}]
    kept = [json.loads(line)["id"] for line in keep.read_text().splitlines()]
    gone = [json.loads(line) for line in removed.read_text().splitlines()]
    assert kept == ["orig", "other"]
    assert [(g["id"], g["dedup"]["reason"], g["dedup"]["cluster"]) for g in gone] == [
        ("same", "exact", 1),
        ("half", "partial", 1),
    ]
    assert pairs.read_text().splitlines()[0] == "a,b,relation,score,jaccard,containment"


def test_reads_jsonl_from_stdin(copies: Path) -> None:
    result = run("scan", "-", "--json", "-", "-q", input=copies.read_text())
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert [d["id"] for d in report["documents"]] == ["orig", "same", "other", "half"]
    assert {(p["a"], p["b"]) for p in report["pairs"]} == {("orig", "same"), ("orig", "half")}


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ('{"id": "a", "text": "x"}\n{"id": "b", "text": \n', (), "news.jsonl:2"),
        ('{"id": "a", "body": "x"}\n', (), "Try --text-field body"),
        ('{"id": "a", "text": "x"}\n', ("--text-field", "body"), "news.jsonl:1"),
    ],
)
def test_bad_jsonl_is_a_one_line_error(tmp_path: Path, content: str, args: tuple[str, ...], message: str) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(path), *args])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert message in lines[0]


def test_missing_path_exit_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["scan", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "nope" in result.output and result.output.startswith("Error: ")


@pytest.mark.parametrize("args", [["scan"], ["scan", "x", "--ngram", "0"], ["scan", "x", "--keep-policy", "best"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert CliRunner().invoke(main, args).exit_code == 2


ORIGINAL = (
    "Government forces backed by heavy air power are advancing quickly toward a border town still held by the "
    "rebels. A day after taking full control of the city, the army is mounting an offensive to recapture the "
    "town. Reports suggest the fighters fled there from the other side of the border."
)
# Written by hand: eleven words swapped for thesaurus synonyms, order, names and figures kept.
SPUN = (
    "Government forces supported by heavy air strength are progressing rapidly toward a frontier town still held "
    "by the rebels. A day after capturing complete control of the metropolis, the army is mounting an attack to "
    "retake the town. Reports recommend the fighters fled there from the other side of the border."
)


def test_compare_explains_a_spun_pair(tmp_path: Path) -> None:
    a, b, out = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.json"
    a.write_text(ORIGINAL, encoding="utf-8")
    b.write_text(SPUN, encoding="utf-8")
    result = run("compare", str(a), str(b), "--json", str(out))
    assert result.exit_code == 0
    verdict = json.loads(out.read_text())
    assert verdict["relation"] == "spun"
    swaps = {(s["original"], s["replacement"]) for s in verdict["substitutions"]}
    assert ("backed", "supported") in swaps or ("backed by", "supported by") in swaps
    for s in verdict["substitutions"]:
        assert ORIGINAL[s["a_start"] : s["a_end"]] == s["original"]
        assert SPUN[s["b_start"] : s["b_end"]] == s["replacement"]
    assert "substitutions" in result.output


def test_compare_pairs_file(tmp_path: Path) -> None:
    other = (SEEDS / SEED_IDS[2]).read_text(encoding="utf-8")
    rows = [{"id": "s", "a": ORIGINAL, "b": SPUN}, {"id": "u", "a": ORIGINAL, "b": other}, {"a": "x y", "b": "x y"}]
    pairs, out = tmp_path / "p.jsonl", tmp_path / "o.jsonl"
    pairs.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = run("compare", "--pairs", str(pairs), "--json", str(out), "--workers", "1")
    assert result.exit_code == 0
    scored = [json.loads(line) for line in out.read_text().splitlines()]
    assert [s["id"] for s in scored] == ["s", "u", 3]
    assert [s["relation"] for s in scored] == ["spun", None, "exact"]
    assert scored[0]["score"] > 0.8 > scored[1]["score"]
    assert all(0.0 <= s["score"] <= 1.0 for s in scored)


def test_compare_pairs_bad_line(tmp_path: Path) -> None:
    pairs = tmp_path / "p.jsonl"
    pairs.write_text('{"id": 1, "a": "x", "b": "y"}\n{"id": 2, "a": "x"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", "--pairs", str(pairs), "--json", "-", "--workers", "1"])
    assert result.exit_code == 1
    assert "p.jsonl:2" in result.output and "'b'" in result.output


@pytest.mark.parametrize(
    ("second", "error"),
    [
        ('{"id": 2, "a": "caf\xe9", "b": "y"}'.encode("latin-1"),
         "Error: p.jsonl:2: not valid UTF-8 at byte 19 of the line. Save the file as UTF-8"),
        (b'{"id": 2, "a": ' + b"[" * 100_000 + b"]" * 100_000 + b', "b": "y"}',
         "Error: p.jsonl:2: JSON nested too deeply to read. Flatten the record"),
    ],
)
def test_compare_pairs_unreadable_line_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second: bytes,
                                                error: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path("p.jsonl").write_bytes(b'{"id": 1, "a": "x", "b": "y"}\n' + second + b"\n")
    result = CliRunner().invoke(main, ["compare", "--pairs", "p.jsonl", "--json", "out.jsonl", "--workers", "1"])
    assert result.exit_code == 1
    assert result.output.strip() == error


def test_compare_pairs_writes_a_lone_surrogate_as_its_escape(tmp_path: Path) -> None:
    pairs = tmp_path / "p.jsonl"
    record = {"id": "x\ud800", "a": "One story \ud800.", "b": "One story."}
    pairs.write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["compare", "--pairs", str(pairs), "--json", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "x\ud800"


def test_seed_004_reads_as_spun_and_the_others_do_not(seed_report: dict) -> None:
    by_id = {d["id"][:3]: d for d in seed_report["documents"]}
    assert by_id["004"]["spin"]["spun"] is True
    text = (SEEDS / by_id["004"]["id"]).read_text(encoding="utf-8")
    evidence = by_id["004"]["spin"]["evidence"]
    assert len(evidence) >= 10
    for e in evidence:
        assert text[e["start"] : e["end"]] == e["text"]
    for key in ("000", "001", "002", "003"):
        # The README: "samples 000-003 not flagged (scores 0.002-0.007) with no evidence span".
        assert by_id[key]["spin"]["spun"] is False
        assert by_id[key]["spin"]["score"] < 0.01
        assert by_id[key]["spin"]["evidence"] == []


def test_spin_command_lists_evidence(tmp_path: Path) -> None:
    out = tmp_path / "spin.json"
    result = run("spin", str(SEEDS), "--json", str(out), "--workers", "1")
    assert result.exit_code == 0
    assert "1 of 5 documents read as spun" in result.output
    assert "004_" in result.output and "likely" in result.output
    report = json.loads(out.read_text())
    assert report["pairs"] == [] and len(report["documents"]) == 5


def test_no_spin_turns_both_analyses_off(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert run("scan", str(SEEDS), "--no-spin", "-q", "--json", str(out)).exit_code == 0
    report = json.loads(out.read_text())
    assert all(d["spin"] is None for d in report["documents"])
    assert report["config"]["spun_pairs"] is False


def test_no_phrase_checks_keeps_spun_pairs(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert run("scan", str(SEEDS), "--no-phrase-checks", "-q", "--json", str(out)).exit_code == 0
    report = json.loads(out.read_text())
    assert all(d["spin"] is None for d in report["documents"])
    assert report["config"]["spun_pairs"] is True
    assert report["config"]["spin"]["enabled"] is False


def _one_error_line(result) -> str:  # noqa: ANN001 - click's Result
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[-1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--keep", "{in}"), "--keep {in} is also an input; it would be overwritten. Write it to another file"),
        (("--json", "{in}"), "--json {in} is also an input; it would be overwritten. Write it to another file"),
        (("--keep", "{d}/o.jsonl", "--removed", "{d}/o.jsonl"),
         "--keep and --removed both write {d}/o.jsonl; give each output its own file"),
    ],
)
def test_outputs_that_would_destroy_data_are_refused(copies: Path, args: tuple[str, ...], message: str) -> None:
    before = copies.read_bytes()
    fill = {"in": str(copies), "d": str(copies.parent)}
    result = CliRunner().invoke(main, ["scan", str(copies), "-q", *(a.format(**fill) for a in args)])
    assert result.exit_code == 2
    assert message.format(**fill) in result.output
    assert copies.read_bytes() == before


def test_output_inside_the_input_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Some words here.", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--keep", str(tmp_path / "keep.jsonl")])
    assert result.exit_code == 2
    assert "is inside the input folder" in result.output


@pytest.mark.parametrize("option", ["--json", "--html"])
def test_compare_output_onto_an_input_is_refused(tmp_path: Path, option: str) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(ORIGINAL, encoding="utf-8")
    b.write_text(SPUN, encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", str(a), str(b), option, str(b)])
    assert result.exit_code == 2
    assert b.read_text(encoding="utf-8") == SPUN


def test_spin_json_onto_an_input_is_refused(copies: Path) -> None:
    result = CliRunner().invoke(main, ["spin", str(copies), "--json", str(copies)])
    assert result.exit_code == 2 and "is also an input" in result.output


class _FullDisk(io.StringIO):
    """A file on a full disk: writing fails as the operating system reports it."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_names_the_output_and_keeps_the_previous_file(
    copies: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.json"
    out.write_text("previous", encoding="utf-8")
    real_open = open
    monkeypatch.setattr("dedup.io.safe_files.open", lambda path, *a, **k: real_open(path, *a, **k) and _FullDisk(),
                        raising=False)
    result = CliRunner().invoke(main, ["scan", str(copies), "-q", "--json", str(out)])
    assert result.exit_code == 1
    assert _one_error_line(result) == f"Error: {out}: No space left on device"
    assert out.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news.jsonl", "report.json"]


def test_an_interrupted_scan_keeps_every_previous_output(
    copies: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outs = {option: tmp_path / f"out{option}" for option in ("--json", "--keep", "--html")}
    for path in outs.values():
        path.write_text("previous", encoding="utf-8")

    def interrupted(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("dedup.cli.render_report_html", interrupted)
    args = [arg for option, path in outs.items() for arg in (option, str(path))]
    result = CliRunner().invoke(main, ["scan", str(copies), "-q", *args])
    assert result.exit_code == 1  # click's Abort
    assert all(path.read_text(encoding="utf-8") == "previous" for path in outs.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["news.jsonl", *(p.name for p in outs.values())])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--json", "{d}/nofolder/r.json"),
         "Error: {d}/nofolder/r.json: folder {d}/nofolder does not exist. Create it first"),
        (("--keep", "{d}"), "Error: {d}: is a folder. Give a file name for this output"),
    ],
)
def test_output_paths_are_checked_before_the_scan(copies: Path, args: tuple[str, ...], message: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def no_scan(*args: object, **kwargs: object) -> None:
        raise AssertionError("the scan ran before the outputs were checked")

    monkeypatch.setattr("dedup.scan", no_scan)
    fill = {"d": str(copies.parent)}
    result = CliRunner().invoke(main, ["scan", str(copies), "-q", *(a.format(**fill) for a in args)])
    assert result.exit_code == 1
    assert _one_error_line(result) == message.format(**fill)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--seed", "-1"), "Invalid value for '--seed': -1 is not in the range 0<=x<=4294967295."),
        (("--on-bad-record", "skip"), "--on-bad-record skip needs --rejects FILE.jsonl, where the skipped records"),
        (("--rejects", "r.jsonl"), "--rejects goes with --on-bad-record skip"),
        (("--on-bad-record", "skip", "--rejects", "{in}"), "--rejects {in} is also an input"),
        (("--threshold", "1.0", "--num-perm", "16"),
         "--threshold 1.0 with --num-perm 16 leaves fewer than two LSH bands; use a larger --num-perm or a lower"
         " --threshold"),
    ],
)
def test_bad_option_combinations_are_usage_errors(copies: Path, args: tuple[str, ...], message: str) -> None:
    result = CliRunner().invoke(main, ["scan", str(copies), "-q", *(a.format(**{"in": str(copies)}) for a in args)])
    assert result.exit_code == 2
    assert message.format(**{"in": str(copies)}) in result.output


@pytest.mark.parametrize("command", ["scan", "spin", "index add"])
def test_skipped_records_are_counted_and_written_to_the_rejects_file(tmp_path: Path, command: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "One story of some words."}\n{"id": "b", "text": 7}\n'
                      '{"id": "c", "text": "Another story entirely."}\n', encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    extra = ["--index", str(tmp_path / "i.db")] if command == "index add" else []
    result = CliRunner().invoke(main, [*command.split(), str(source), "--on-bad-record", "skip",
                                       "--rejects", str(rejects), *extra])
    assert result.exit_code == 0, result.output
    assert f"{source}:2: text field 'text' is a number, not a string" in " ".join(result.output.split())
    [entry] = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert entry["line"] == 2 and entry["record"] == {"id": "b", "text": 7}


@pytest.mark.parametrize("command", ["scan", "spin"])
def test_stdin_twice_is_a_usage_error(command: str) -> None:
    result = CliRunner().invoke(main, [command, "-", "-"], input="")
    assert result.exit_code == 2
    assert "'-' (standard input) is given more than once; give it once" in result.output


def test_a_config_value_error_is_a_usage_error(copies: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**kwargs: object) -> None:
        raise ValueError("workers must be at least 0")

    monkeypatch.setattr("dedup.cli.ScanConfig", refuse)
    result = CliRunner().invoke(main, ["spin", str(copies)])
    assert result.exit_code == 2
    assert "Error: workers must be at least 0" in result.output


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (RecursionError("maximum recursion depth exceeded"),
         "Error: input nested too deeply to process (RecursionError)"),
        (BrokenProcessPool("gone"), "Error: a worker process died (often out of memory). Try fewer --workers or"
                                    " smaller inputs (BrokenProcessPool)"),
        (UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
         "Error: text that cannot be encoded or decoded (UnicodeEncodeError: 'utf-8' codec can't encode character"
         " '\\ud800' in position 0: surrogates not allowed). Try --encoding"),
        (KeyError("x"), "Error: internal error (KeyError: 'x'). Please report it"),
    ],
)
def test_no_traceback_escapes(copies: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, message: str) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("dedup.scan", fail)
    result = CliRunner().invoke(main, ["scan", str(copies), "-q"])
    assert result.exit_code == 1
    assert _one_error_line(result) == message


def test_python_dash_m_dedup_is_the_command_line() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "dedup", "scan", "--help"], capture_output=True, text=True,
                          check=False, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    assert "Scan INPUTS" in done.stdout


def _process_states() -> dict[int, tuple[str, int]]:
    """Every process's state letter and parent pid (read from /proc)."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            found[int(entry)] = (fields[0], int(fields[1]))
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc to see which processes live")
def test_kill_9_of_a_scan_leaves_no_worker_and_no_copy_of_stdin(tmp_path: Path) -> None:
    import random
    import signal
    import subprocess
    import sys
    import time

    rng = random.Random(7)
    words = [f"w{k}" for k in range(4000)]
    lines = "".join(json.dumps({"id": k, "text": " ".join(rng.choice(words) for _ in range(120))}) + "\n"
                    for k in range(30_000)).encode()
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen([sys.executable, "-m", "dedup", "scan", "-", "-q", "--workers", "2"], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdin is not None
    proc.stdin.write(lines)
    proc.stdin.close()

    def workers() -> list[int]:
        return [pid for pid, (state, parent) in _process_states().items() if parent == proc.pid and state != "Z"]

    deadline = time.monotonic() + 60
    while len(workers()) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    seen = workers()
    assert len(seen) >= 2, "the scan ended before its workers could be seen; make the input larger"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    def alive() -> list[int]:
        states = _process_states()
        return [pid for pid in seen if pid in states and states[pid][0] != "Z"]

    deadline = time.monotonic() + 10
    while alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive() == []  # the workers died with their parent instead of waiting on its queue forever
    assert list(tmp_path.iterdir()) == []  # stdin's spooled copy and the text store were never named files
