"""The few latest results of expensive work, kept between the builds of one process.

Why one helper: ``mkdocs serve`` rebuilds the whole site in the same process after every
edit, and parsing the bibliography and the lexicon, building the term matcher and formatting
the exports need not be redone while their input is unchanged. Each of them keeps a handful
of results — the site's own, plus the occasional other input of a test or a second site —
and drops the oldest first, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Result = TypeVar("Result")


class RecentResults(Generic[Key, Result]):
    """Results by key (a fingerprint of the input), the ``size`` latest ones."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._results: dict[Key, Result] = {}

    def get_or_make(self, key: Key, make: Callable[[], Result]) -> Result:
        """The result kept for ``key``, or ``make()``'s, kept from now on."""
        if key not in self._results:
            if len(self._results) >= self._size:
                self._results.pop(next(iter(self._results)))
            self._results[key] = make()
        return self._results[key]
