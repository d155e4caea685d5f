"""Parquet (``.parquet``): one document per row, read in record batches; needs the optional ``pyarrow``.

A row's ``line`` is its row number, from 1. When only documents are wanted, just the id and text columns
are read.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

from dedup.errors import InputError, MissingDependencyError
from dedup.io.options import ReadOptions

__all__ = ["parquet_rows", "require_pyarrow"]

_PARQUET_BATCH_ROWS = 1024


def require_pyarrow() -> None:
    """Raise ``MissingDependencyError`` (saying what to install) when ``pyarrow`` is not installed.

    Called when the inputs are given, so a scan fails before any work is done, as the datatrove readers
    do; the read itself imports pyarrow lazily.
    """
    if importlib.util.find_spec("pyarrow") is None:
        raise MissingDependencyError("pyarrow", "parquet")


def parquet_rows(path: str, options: ReadOptions, full_records: bool) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(row number, row as a dict)``; only the id and text columns unless ``full_records``.

    An unreadable or invalid file raises ``InputError`` naming it (and the row, past the first batch).
    """
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependencyError("pyarrow", "parquet") from None
    try:
        parquet = pq.ParquetFile(path)
    except PermissionError:
        raise InputError("cannot read: permission denied", path=path, hint="Check the file permissions") from None
    except Exception as error:  # pyarrow raises ArrowInvalid, OSError and others for a bad file
        raise InputError(f"not a valid parquet file ({error})", path=path, hint="Check the file is complete") from None
    columns = None
    if not full_records:
        # Only the id and text columns are needed for documents; read less when both can be found.
        names = parquet.schema_arrow.names
        wanted = [_top_column(options.text_field, names), _top_column(options.id_field, names)]
        if wanted[0] is not None:
            columns = sorted({name for name in wanted if name is not None})
    row = 0
    try:
        for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH_ROWS, columns=columns):
            for record in batch.to_pylist():
                row += 1
                yield row, record
    except (OSError, ValueError) as error:  # ArrowInvalid is a ValueError; ArrowIOError an OSError
        raise InputError(f"not a valid parquet file ({error})", path=path, line=row + 1) from None


def _top_column(field: str, names: list[str]) -> str | None:
    if field in names:
        return field
    top = field.split(".", 1)[0]
    return top if top in names else None

