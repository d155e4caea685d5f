"""Taking the id and the text out of a record (a JSONL object, a CSV row, a parquet row).

The fields come from ``ReadOptions.id_field`` / ``text_field``; a dotted name such as ``meta.id`` reaches
into nested objects (a key literally named ``meta.id`` wins). Ids that are numbers become strings.

When *no* record of a file has the default ``id`` field, ids are ``"<file>:<line>"`` and a ``generated_id``
notice says so; a file where only *some* records lack it raises, as does a missing field named with a
non-default ``id_field`` (a typo there should not silently turn into generated ids). Each error names the
field the user most likely meant.
"""

from __future__ import annotations

from typing import Any

from dedup.errors import InputError
from dedup.io.notices import GENERATED_ID, Notices
from dedup.io.options import DEFAULT_ID_FIELD, ReadOptions

__all__ = ["FieldReader", "type_name"]

_GENERATED_ID_HINT = "ids then default to '<file>:<line>'"

# Names that usually hold the article text or the id, tried first when suggesting a --text-field / --id-field.
_TEXT_NAMES = ("text", "content", "body", "article", "document", "raw_content", "contents", "story", "maintext")
_ID_NAMES = ("id", "doc_id", "docid", "document_id", "_id", "uuid", "guid", "uid", "key", "url")
_MAX_KEYS_SHOWN = 12
_MISSING = object()


class FieldReader:
    """Takes the id and text out of the records of one file, and remembers whether it generates ids.

    One reader per file: its first record decides whether the file's ids are generated. ``shown`` names
    the file in messages, ``label`` in generated ids.

    >>> notices = Notices()
    >>> fields = FieldReader("in/a.jsonl", "a.jsonl", ReadOptions(), notices)
    >>> fields.read({"url": "u1", "text": "One story."}, 1)
    ('a.jsonl:1', 'One story.')
    >>> notices.counts()
    {'generated_id': 1}
    """

    def __init__(self, shown: str, label: str, options: ReadOptions, notices: Notices) -> None:
        self.shown = shown
        self.label = label
        self.options = options
        self.notices = notices
        self.generated_ids: bool | None = None  # decided by the first record of the file

    def read(self, record: dict[str, Any], line: int) -> tuple[str, str]:
        """The ``(id, text)`` of the record at ``line``; raises ``InputError`` naming the field meant."""
        text_field = self.options.text_field
        text = _lookup(record, text_field)
        if text is _MISSING:
            best = _likely_key(record, _TEXT_NAMES, (str,), exclude=self.options.id_field)
            hint = f"Try --text-field {best}" if best else "Use --text-field KEY to name the field holding the text"
            message = f"no text field {text_field!r} (fields: {_keys(record)})"
            raise InputError(message, path=self.shown, line=line, hint=hint)
        if not isinstance(text, str):
            best = _likely_key(record, _TEXT_NAMES, (str,), exclude=self.options.id_field)
            hint = f"Try --text-field {best}" if best else "Check the record"
            message = f"text field {text_field!r} is {type_name(text)}, not a string"
            raise InputError(message, path=self.shown, line=line, hint=hint)
        return self._id(record, line), text

    def _id(self, record: dict[str, Any], line: int) -> str:
        id_field = self.options.id_field
        value = _lookup(record, id_field)
        if self.generated_ids is None:
            self.generated_ids = value is _MISSING and id_field == DEFAULT_ID_FIELD
            if self.generated_ids:
                best = _likely_key(record, _ID_NAMES, (str, int), exclude=self.options.text_field)
                pick = f" (use --id-field {best} to use that field)" if best else ""
                message = f"{self.shown}: records have no {id_field!r} field; ids are '{self.label}:<line>'{pick}"
                self.notices.add(GENERATED_ID, message)
        if self.generated_ids:
            if value is not _MISSING:
                message = f"this record has an id field {id_field!r} but the first record of the file has none"
                hint = f"Give every record an {id_field!r} field, or none ({_GENERATED_ID_HINT})"
                raise InputError(message, path=self.shown, line=line, hint=hint)
            return f"{self.label}:{line}"
        if value is _MISSING:
            message = f"no id field {id_field!r} (fields: {_keys(record)})"
            if id_field == DEFAULT_ID_FIELD:
                hint = f"Give every record an {id_field!r} field, or none ({_GENERATED_ID_HINT})"
            else:
                best = _likely_key(record, _ID_NAMES, (str, int), exclude=self.options.text_field)
                hint = f"Try --id-field {best}" if best else "Check --id-field"
            raise InputError(message, path=self.shown, line=line, hint=hint)
        if isinstance(value, str):
            if not value:
                raise InputError(f"id field {id_field!r} is empty", path=self.shown, line=line, hint="Give it an id")
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        message = f"id field {id_field!r} is {type_name(value)}, not a string or number"
        raise InputError(message, path=self.shown, line=line, hint="Check the record, or use --id-field KEY")


def _lookup(record: dict[str, Any], field: str) -> Any:
    """``record[field]``, or for a dotted ``field`` the nested value; ``_MISSING`` when absent."""
    if field in record:
        return record[field]
    value: Any = record
    for part in field.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _likely_key(record: dict[str, Any], names: tuple[str, ...], types: tuple[type, ...], *, exclude: str) -> str | None:
    """The field the user most likely meant: a usual name first, else the longest string value."""
    candidates: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            candidates.update((f"{key}.{inner}", item) for inner, item in value.items() if isinstance(inner, str))
        else:
            candidates[key] = value
    candidates = {
        key: value
        for key, value in candidates.items()
        if key != exclude and isinstance(value, types) and not isinstance(value, bool)
    }
    for name in names:
        for key in candidates:
            if key.rsplit(".", 1)[-1].lower() == name:
                return key
    strings = [key for key, value in candidates.items() if isinstance(value, str) and value.strip()]
    if str in types and int not in types and strings:
        return max(strings, key=lambda key: len(candidates[key]))
    return None


def _keys(record: dict[str, Any]) -> str:
    keys = [str(key) for key in record]
    if not keys:
        return "none"
    shown = ", ".join(keys[:_MAX_KEYS_SHOWN])
    return shown + (", ..." if len(keys) > _MAX_KEYS_SHOWN else "")


def type_name(value: Any) -> str:
    """What ``value`` is, in JSON's own names: what the user sees in the file.

    >>> type_name(None), type_name([1]), type_name(2.5)
    ('null', 'an array', 'a number')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"
