"""Output files that are complete or absent: written beside the target and renamed into place at the end.

A scan can run for minutes; Ctrl-C, a kill, an exception or a full disk in the middle must not leave a
file of valid-looking lines that is silently short, nor damage the previous output. So each output is
written to a hidden temporary file in the target's own folder (same file system, so the rename is atomic;
hidden, so a folder scan never reads it; the pid in its name, so two runs never share one) and renamed over
the target with ``os.replace`` only once everything was written. On any exit before that the temporary
file is removed.

Paths are also checked before any work starts: an output that is also an input, two outputs on one path,
and a path whose folder is missing or not writable are refused up front.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, cast

from dedup.errors import DedupError
from dedup.io.corpus import STDIN, SUPPORTED_EXTENSIONS

__all__ = ["atomic_output", "check_writable", "output_conflict"]


class _NamedOutput:
    """A text file whose write errors (a full disk) name the output they were meant for."""

    def __init__(self, fh: IO[str], shown: str) -> None:
        self._fh = fh
        self._shown = shown

    def write(self, text: str) -> int:
        try:
            return self._fh.write(text)
        except OSError as exc:
            raise write_error(self._shown, exc) from exc

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._fh.flush()
        except OSError as exc:
            raise write_error(self._shown, exc) from exc


def write_error(shown: str, exc: OSError) -> DedupError:
    """The one-line error for an output that could not be written, e.g. ``out.json: No space left on device``."""
    return DedupError(f"{shown}: {exc.strerror or exc}")


@contextlib.contextmanager
def atomic_output(path: str | None) -> Iterator[IO[str] | None]:
    """Yield a text file for ``path`` that replaces it only when the block ends without error.

    ``None`` yields ``None`` (no output asked for) and ``-`` yields standard output, streamed as written.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp(); target = os.path.join(folder, "out.txt")
    >>> with atomic_output(target) as fh:
    ...     _ = fh.write("done")
    >>> open(target).read(), os.listdir(folder)
    ('done', ['out.txt'])
    """
    if path is None:
        yield None
        return
    if path == STDIN:
        yield sys.stdout
        return
    folder, name = os.path.split(os.path.abspath(path))
    temp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        # The temporary file is created here, and only here is it removed, whatever ends the block.
        try:
            fh = open(temp, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise write_error(path, exc) from exc
        try:
            yield cast(IO[str], _NamedOutput(fh, path))  # writing is all the callers do
        finally:
            try:
                fh.close()  # flushes: a full disk often shows here, not in write
            except OSError as exc:
                raise write_error(path, exc) from exc
        try:
            os.replace(temp, path)
        except OSError as exc:
            raise write_error(path, exc) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temp)


def check_writable(path: str) -> None:
    """Fail before the scan starts when ``path`` cannot be written: a folder, a missing or read-only folder.

    >>> check_writable("/no/such/folder/out.json")
    Traceback (most recent call last):
    ...
    dedup.errors.DedupError: /no/such/folder/out.json: folder /no/such/folder does not exist. Create it first
    """
    if path == STDIN:
        return
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise DedupError(f"{path}: is a folder. Give a file name for this output")
    if not os.path.isdir(folder):
        raise DedupError(f"{path}: folder {folder} does not exist. Create it first")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DedupError(f"{path}: cannot write in folder {folder}: permission denied. Check the permissions")
    if os.path.exists(path) and not os.access(path, os.W_OK) and not os.access(folder, os.W_OK):
        raise DedupError(f"{path}: cannot write: permission denied. Check the permissions")


def output_conflict(outputs: Mapping[str, str | None], inputs: Sequence[str]) -> str | None:
    """Why these outputs cannot be written as given, or None when they can.

    ``outputs`` maps each option (``--json``) to its path; ``inputs`` are the files and folders read. An
    output that is an input would destroy it (it is replaced before, or while, it is read again), an
    output inside an input folder that the scan would read becomes an input of the next run, and two
    outputs on one path would overwrite each other.

    >>> output_conflict({"--keep": "a.jsonl", "--removed": "./a.jsonl"}, [])
    '--keep and --removed both write a.jsonl; give each output its own file'
    >>> output_conflict({"--json": "r.json"}, ["news.jsonl"]) is None
    True
    """
    given = [(option, path) for option, path in outputs.items() if path is not None]
    if sum(1 for _, path in given if path == STDIN) > 1:
        return "only one output can go to standard output (-)"
    files = [(option, path) for option, path in given if path != STDIN]
    for i, (option, path) in enumerate(files):
        for other_option, other in files[:i]:
            if _same_file(path, other):
                return f"{other_option} and {option} both write {other}; give each output its own file"
    for option, path in files:
        for source in inputs:
            if source == STDIN:
                continue
            if _same_file(path, source):
                return f"{option} {path} is also an input; it would be overwritten. Write it to another file"
            if os.path.isdir(source) and _read_from_folder(path, source):
                return (
                    f"{option} {path} is inside the input folder {source} and would be read as input;"
                    " write it outside that folder"
                )
    return None


def _same_file(a: str, b: str) -> bool:
    if os.path.exists(a) and os.path.exists(b):
        try:
            return os.path.samefile(a, b)  # hard links too
        except OSError:
            pass
    return os.path.realpath(a) == os.path.realpath(b)


def _read_from_folder(path: str, folder: str) -> bool:
    """Whether a scan of ``folder`` would read a file at ``path`` (not hidden, of a type it reads)."""
    real, top = os.path.realpath(path), os.path.realpath(folder)
    if os.path.commonpath([real, top]) != top:
        return False
    parts = os.path.relpath(real, top).split(os.sep)
    if any(part.startswith(".") for part in parts):
        return False  # the folder walk skips hidden files and folders
    return os.path.basename(real).lower().endswith(SUPPORTED_EXTENSIONS)
