"""A cache of what was computed from a text, kept for as many texts as fit in a budget of characters.

Verifying pairs reads the same documents again and again but not in a row: on the 20,000-document speed
corpus the 26,000 tokenisations of the passage search are of 7,630 texts, and a cache of the last 8 texts
(``functools.lru_cache(maxsize=8)``) missed 16,800 times, one of the last 4,096 texts 8,100 times. A count
of texts says nothing of memory when texts range from a line to a book, so this one counts characters.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["kept_for_texts"]

R = TypeVar("R")


def kept_for_texts(characters: int) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Decorate a function whose first argument is a text: its results are kept, least recently used
    dropped first, while the texts they were computed from hold ``characters`` characters in all (a text
    longer than that alone is not kept). The arguments are the key, so they must be hashable.

    >>> calls = []
    >>> @kept_for_texts(10)
    ... def size(text: str) -> int:
    ...     calls.append(text)
    ...     return len(text)
    >>> [size(t) for t in ("abcd", "efgh", "abcd", "ijkl", "efgh")], calls
    ([4, 4, 4, 4, 4], ['abcd', 'efgh', 'ijkl', 'efgh'])
    """
    def decorate(function: Callable[..., R]) -> Callable[..., R]:
        kept: OrderedDict[tuple[Any, ...], R] = OrderedDict()
        held = 0

        @functools.wraps(function)
        def cached(*args: Any) -> R:
            nonlocal held
            try:
                result = kept[args]
            except KeyError:
                pass
            else:
                kept.move_to_end(args)
                return result
            result = function(*args)
            size = len(args[0])
            if size <= characters:
                kept[args] = result
                held += size
                while held > characters:
                    old, _ = kept.popitem(last=False)
                    held -= len(old[0])
            return result

        return cached

    return decorate
