"""Tests of dedup.io.safe_files: an output is complete or absent, and outputs that would destroy data or
cannot be written are refused before any work."""

from __future__ import annotations

import errno
import io
import os
import sys
from pathlib import Path

import pytest

from dedup.errors import DedupError
from dedup.io.safe_files import atomic_output, check_writable, output_conflict


class Stop(Exception):
    """An error in the middle of writing (Ctrl-C, a bug, a kill would do the same)."""


def test_a_completed_block_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous", encoding="utf-8")
    with atomic_output(str(target)) as fh:
        assert fh is not None
        fh.write("new ")
        fh.writelines(["con", "tent\n"])
        fh.flush()
        assert target.read_text(encoding="utf-8") == "previous"  # not yet: only once the block ends
        hidden = [p.name for p in tmp_path.iterdir() if p.name != "out.json"]
        assert hidden == [f".out.json.{os.getpid()}.tmp"]  # beside the target, hidden, named by the pid
    assert target.read_text(encoding="utf-8") == "new content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_an_error_keeps_the_previous_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(Stop), atomic_output(str(target)) as fh:
        fh.write("half of it")  # type: ignore[union-attr]
        raise Stop
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_an_error_with_no_previous_file_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), atomic_output(str(tmp_path / "out.json")) as fh:
        fh.write("half of it")  # type: ignore[union-attr]
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_newlines_are_written_as_given(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with atomic_output(str(target)) as fh:
        fh.write("a\r\nb\nc\u00e9")  # type: ignore[union-attr]
    assert target.read_bytes() == "a\r\nb\nc\u00e9".encode()


def test_no_path_is_no_output_and_a_dash_is_standard_output() -> None:
    with atomic_output(None) as fh:
        assert fh is None
    with atomic_output("-") as fh:
        assert fh is sys.stdout


class _FullDisk(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FailsOnClose(io.StringIO):
    def close(self) -> None:
        raise OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))


@pytest.mark.parametrize(("fake", "message"), [(_FullDisk, "No space left on device"),
                                               (_FailsOnClose, os.strerror(errno.EDQUOT))])
def test_a_write_error_names_the_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: type,
                                        message: str) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous", encoding="utf-8")
    real_open = open

    def fake_open(path: str, *args: object, **kwargs: object) -> io.StringIO:
        real_open(path, *args, **kwargs).close()  # the temporary file exists, as it would
        return fake()

    monkeypatch.setattr("dedup.io.safe_files.open", fake_open, raising=False)
    with pytest.raises(DedupError) as caught, atomic_output(str(target)) as fh:
        fh.write("x")  # type: ignore[union-attr]
    assert str(caught.value) == f"{target}: {message}"
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_missing_folder_is_an_error_naming_the_output(tmp_path: Path) -> None:
    target = str(tmp_path / "nofolder" / "out.json")
    with pytest.raises(DedupError, match=f"^{target}: No such file or directory$"), atomic_output(target):
        pass


def test_check_writable_refuses_what_cannot_be_written(tmp_path: Path) -> None:
    check_writable("-")
    check_writable(str(tmp_path / "new.json"))
    with pytest.raises(DedupError, match=f"^{tmp_path}: is a folder. Give a file name for this output$"):
        check_writable(str(tmp_path))
    missing = tmp_path / "nope" / "out.json"
    with pytest.raises(DedupError, match=f"^{missing}: folder {missing.parent} does not exist. Create it first$"):
        check_writable(str(missing))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="permissions do not bind root")
def test_check_writable_refuses_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(DedupError, match="permission denied. Check the permissions"):
            check_writable(str(folder / "out.json"))
    finally:
        folder.chmod(0o700)


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "news.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("outputs", "sources", "message"),
    [
        ({"--keep": "a.jsonl", "--removed": "./a.jsonl"}, [],
         "--keep and --removed both write a.jsonl; give each output its own file"),
        ({"--json": "-", "--keep": "-"}, [], "only one output can go to standard output (-)"),
        ({"--json": "news.jsonl"}, ["news.jsonl"],
         "--json news.jsonl is also an input; it would be overwritten. Write it to another file"),
        ({"--keep": "folder/sub/keep.jsonl"}, ["folder"],
         "--keep folder/sub/keep.jsonl is inside the input folder folder and would be read as input; write it"
         " outside that folder"),
        ({"--keep": "folder/Keep.TXT"}, ["folder"],
         "--keep folder/Keep.TXT is inside the input folder folder and would be read as input; write it outside"
         " that folder"),
    ],
)
def test_conflicting_outputs_are_named(inputs: Path, outputs: dict, sources: list[str], message: str) -> None:
    assert output_conflict(outputs, sources) == message


@pytest.mark.parametrize(
    ("outputs", "sources"),
    [
        ({"--json": "r.json", "--keep": "k.jsonl", "--html": None, "--removed": None}, ["news.jsonl"]),
        ({"--json": "-", "--keep": "k.jsonl"}, ["-"]),  # standard input is no file to destroy
        ({"--keep": "folder/.hidden/keep.jsonl"}, ["folder"]),  # the folder walk skips hidden folders
        ({"--keep": "folder/.keep.jsonl"}, ["folder"]),
        ({"--json": "folder/report.json"}, ["folder"]),  # .json is no type a scan reads
        ({"--keep": "elsewhere/keep.jsonl"}, ["folder"]),
        ({"--json": None, "--keep": None}, ["news.jsonl"]),
    ],
)
def test_outputs_that_harm_nothing_pass(inputs: Path, outputs: dict, sources: list[str]) -> None:
    assert output_conflict(outputs, sources) is None


def test_a_link_to_an_input_is_the_input(inputs: Path) -> None:
    os.link("news.jsonl", "hard.jsonl")
    os.symlink("news.jsonl", "soft.jsonl")
    for link in ("hard.jsonl", "soft.jsonl"):
        assert output_conflict({"--keep": link}, ["news.jsonl"]) == (
            f"--keep {link} is also an input; it would be overwritten. Write it to another file")
