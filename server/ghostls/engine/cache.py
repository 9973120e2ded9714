"""Earlier suggestions, found again by any later cursor position they still cover.

Keys are cheap: the document, the first characters after the cursor and the last few
hundred characters before it (never a hash of the whole document). A lookup walks back up to
`LOOK_BACK` characters of the prefix: an entry stored at an earlier cursor position answers
when the text typed since then is the start of its suggestion (typing through a suggestion,
or coming back to a position seen before).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from cachetools import TTLCache

from ghostls.postprocess import Insertion

PREFIX_KEY_CHARS = 384
SUFFIX_KEY_CHARS = 160
LOOK_BACK = 160

CacheKey = tuple[str, str, str]


def cache_key(uri: str, prefix: str, suffix: str, back: int = 0) -> CacheKey:
    end = len(prefix) - back
    return (uri, suffix[:SUFFIX_KEY_CHARS], prefix[max(0, end - PREFIX_KEY_CHARS) : end])


@dataclass(frozen=True)
class CacheEntry:
    insertion: Insertion
    prefetched: bool = False


@dataclass(frozen=True)
class CacheHit:
    insertion: Insertion
    typed: int  # characters typed since the entry's position
    prefetched: bool


def _entry_size(entry: CacheEntry) -> int:
    return sys.getsizeof(entry.insertion.text) + 2 * (PREFIX_KEY_CHARS + SUFFIX_KEY_CHARS) + 200


class SuggestionCache:
    """A TTL cache bounded by entries and by bytes."""

    def __init__(
        self, max_entries: int = 512, max_bytes: int = 4_000_000, ttl_s: float = 600.0
    ) -> None:
        self.max_entries = max_entries
        self._cache: TTLCache[CacheKey, CacheEntry] = TTLCache(
            maxsize=max_bytes, ttl=ttl_s, getsizeof=_entry_size
        )

    def __len__(self) -> int:
        return len(self._cache)

    @property
    def bytes(self) -> float:
        return self._cache.currsize

    def put(self, uri: str, prefix: str, suffix: str, entry: CacheEntry) -> None:
        if not entry.insertion.text:
            return
        while len(self._cache) >= self.max_entries:
            self._cache.popitem()
        self._cache[cache_key(uri, prefix, suffix)] = entry

    def lookup(
        self, uri: str, prefix: str, suffix: str, *, look_back: int = LOOK_BACK
    ) -> CacheHit | None:
        """The suggestion that covers this position, minus what has been typed of it."""
        limit = min(look_back, len(prefix))
        for back in range(limit + 1):
            entry = self._cache.get(cache_key(uri, prefix, suffix, back))
            if entry is None:
                continue
            text = entry.insertion.text
            typed = prefix[len(prefix) - back :]
            if len(text) > back and text.startswith(typed):
                rest = type(entry.insertion)(
                    text=text[back:], replace_suffix=entry.insertion.replace_suffix
                )
                return CacheHit(insertion=rest, typed=back, prefetched=entry.prefetched)
        return None

    def clear(self) -> None:
        self._cache.clear()
