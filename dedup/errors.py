"""Exceptions the library raises; the CLI turns them into one-line messages and exit codes."""

from __future__ import annotations

__all__ = ["ConfigError", "DedupError", "InputError", "KernelError", "MissingDependencyError"]


class DedupError(Exception):
    """Base class of every error dedup raises on purpose."""


class ConfigError(DedupError, ValueError):
    """A bad argument to the library: names the value and the fix. A ValueError too, as bad values are.

    >>> isinstance(ConfigError("ngram must be between 1 and 32, not 0"), ValueError)
    True
    """


class InputError(DedupError):
    """Bad input: names the file, the line where known, and the fix.

    >>> str(InputError("no text field", path="a.jsonl", line=3, hint="Try --text-field body"))
    'a.jsonl:3: no text field. Try --text-field body'
    """

    def __init__(self, message: str, *, path: str = "", line: int | None = None, hint: str = "") -> None:
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint
        where = path if line is None else f"{path}:{line}"
        text = f"{where}: {message}" if where else message
        if hint:
            text = f"{text.rstrip('.')}. {hint}"
        super().__init__(text)


class MissingDependencyError(DedupError):
    """An optional dependency is needed for what was asked; says what to install."""

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(f"this needs the optional package '{module}'. Install it with: pip install 'dedup[{extra}]'")
        self.module = module
        self.extra = extra

    def __reduce__(self) -> tuple[type[MissingDependencyError], tuple[str, str]]:
        # Raised in a worker, it travels back to the parent pickled: rebuild it from its own two arguments.
        return type(self), (self.module, self.extra)


class KernelError(DedupError):
    """A compiled kernel (``dedup.kernels``) failed: a bug in dedup, with the way to run without the kernels."""
