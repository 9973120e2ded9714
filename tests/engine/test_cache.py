from __future__ import annotations

from ghostls.engine.cache import LOOK_BACK, CacheEntry, SuggestionCache, cache_key
from ghostls.postprocess import Insertion


def test_typed_ahead_and_exact_hits() -> None:
    cache = SuggestionCache()
    cache.put("u", "def f():\n    return ", "\n", CacheEntry(Insertion("a + b", 1)))
    hit = cache.lookup("u", "def f():\n    return a +", "\n")
    assert hit is not None and hit.insertion.text == " b" and hit.typed == 3
    assert hit.insertion.replace_suffix == 1
    assert cache.lookup("u", "def f():\n    return a -", "\n") is None
    assert cache.lookup("u", "def f():\n    return ", "\nX") is None
    exact = cache.lookup("u", "def f():\n    return a +", "\n", look_back=0)
    assert exact is None


def test_fully_typed_suggestion_is_no_hit() -> None:
    cache = SuggestionCache()
    cache.put("u", "x = ", "", CacheEntry(Insertion("1")))
    assert cache.lookup("u", "x = 1", "") is None


def test_bounded_by_entries_and_bytes() -> None:
    cache = SuggestionCache(max_entries=10, max_bytes=20_000)
    for index in range(100):
        cache.put("u", f"line {index} = ", "", CacheEntry(Insertion("x" * 500)))
    assert len(cache) <= 10
    assert cache.bytes <= 20_000


def test_keys_only_read_the_ends_of_the_windows() -> None:
    long_prefix = "a" * 100_000
    key = cache_key("u", long_prefix, "b" * 100_000)
    assert len(key[1]) + len(key[2]) < 1000
    assert LOOK_BACK >= 100
