"""Plain text: reading a whole ``.txt`` / ``.md`` file, and the checked byte lines every line format reads.

Both decode strictly in the encoding given, so that a bad byte or a NUL byte (a binary file, or UTF-16
text) is an ``InputError`` naming the file, the line and the byte offset instead of text silently
mangled. A UTF-8 byte-order mark is dropped. ``text_lines`` also reads gzip-compressed files, turning a
corrupt or truncated stream into the same kind of one-line error.
"""

from __future__ import annotations

import codecs
import gzip
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from dedup.errors import InputError

__all__ = ["read_text_file", "text_lines"]

_BINARY_HINT = "Give text files (convert UTF-16 text to UTF-8 first)"
_ENCODING_HINT = "Try --encoding latin-1"


def _open_binary(path: str, shown: str) -> BinaryIO:
    try:
        return open(path, "rb")  # noqa: SIM115 (closed by the caller's with block)
    except PermissionError:
        raise InputError("cannot read: permission denied", path=shown, hint="Check the file permissions") from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", path=shown, hint="Check the path") from None


def read_text_file(path: str, encoding: str) -> str:
    """The whole text of the file at ``path``, one document; a NUL byte or a byte invalid in ``encoding`` raises.

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "a.txt")
    ...     _ = path.write_bytes(b"\\xef\\xbb\\xbfOne story.\\n")  # with a UTF-8 byte-order mark
    ...     read_text_file(str(path), "utf-8")
    'One story.\\n'
    """
    with _open_binary(path, path) as stream:
        try:
            data = stream.read()
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror}", path=path, hint="Check the file") from None
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(f"looks binary (NUL byte at byte offset {nul})", path=path, line=line, hint=_BINARY_HINT)
    try:
        return _strip_bom(data, encoding).decode(encoding)
    except UnicodeDecodeError as error:
        offset = error.start + (len(data) - len(_strip_bom(data, encoding)))
        line = data.count(b"\n", 0, offset) + 1
        raise _decode_error(path, line, encoding, data[offset], offset) from None


def _strip_bom(data: bytes, encoding: str) -> bytes:
    # Editors and Excel write a UTF-8 byte-order mark; it is not part of the text (or of a CSV header name).
    if data.startswith(codecs.BOM_UTF8) and codecs.lookup(encoding).name == "utf-8":
        return data[len(codecs.BOM_UTF8) :]
    return data


def _decode_error(path: str, line: int, encoding: str, byte: int, offset: int) -> InputError:
    message = f"not valid {encoding}: byte 0x{byte:02x} at byte offset {offset}"
    return InputError(message, path=path, line=line, hint=_ENCODING_HINT)


def text_lines(path: str, shown: str, gzipped: bool, encoding: str) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, decoded line)``; a NUL byte, a bad byte or a broken gzip stream raises.

    ``shown`` names the file in errors (``<stdin>`` for the copy of standard input). Lines keep their ends.

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "a.jsonl")
    ...     _ = path.write_bytes(b"one\\ntwo")
    ...     list(text_lines(str(path), "a.jsonl", False, "utf-8"))
    [(1, 'one\\n'), (2, 'two')]
    """
    with _open_binary(path, shown) as raw_stream:
        # GzipFile does not close the file it wraps; the outer with block does.
        stream: BinaryIO = gzip.GzipFile(fileobj=raw_stream, mode="rb") if gzipped else raw_stream  # type: ignore[assignment]
        with stream:
            yield from _decoded_lines(_guarded_lines(stream, shown), shown, encoding)


def _decoded_lines(lines: Iterator[bytes], shown: str, encoding: str) -> Iterator[tuple[int, str]]:
    """Decode each byte line strictly, so a bad byte is reported with its line and byte offset."""
    offset = 0
    for number, raw in enumerate(lines, 1):
        data = _strip_bom(raw, encoding) if number == 1 else raw
        skipped = len(raw) - len(data)
        nul = data.find(b"\0")
        if nul >= 0:
            message = f"looks binary (NUL byte at byte offset {offset + skipped + nul})"
            raise InputError(message, path=shown, line=number, hint=_BINARY_HINT)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            at = offset + skipped + error.start
            raise _decode_error(shown, number, encoding, data[error.start], at) from None
        offset += len(raw)
        yield number, text


def _guarded_lines(stream: BinaryIO, shown: str) -> Iterator[bytes]:
    """Yield the byte lines of ``stream``, turning a corrupt gzip stream or a read error into InputError."""
    number = 0
    try:
        for raw in stream:
            number += 1
            yield raw
    except gzip.BadGzipFile as error:
        if number == 0 and "Not a gzipped file" in str(error):
            hint = "Rename it to .jsonl if it is not compressed"
            raise InputError("not a gzip file", path=shown, hint=hint) from None
        raise _corrupt_gzip(shown, number + 1, error) from None
    except (EOFError, zlib.error) as error:
        raise _corrupt_gzip(shown, number + 1, error) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path=shown, line=number + 1) from None


def _corrupt_gzip(shown: str, line: int, error: Exception) -> InputError:
    return InputError(f"corrupt gzip file ({error})", path=shown, line=line, hint="Check the file is complete: gzip -t")

