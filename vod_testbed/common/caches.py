"""A cachetools cache that several threads share (cachetools' own caches are not
thread-safe): the servers answer requests from a pool of threads."""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

from cachetools import Cache

K = TypeVar("K")
V = TypeVar("V")


class SharedCache(Generic[K, V]):
    """``cache`` (an ``LRUCache``, a ``TTLCache``, ...) behind a lock."""

    def __init__(self, cache: Cache[K, V]) -> None:
        self._cache = cache
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            return self._cache.get(key)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._cache[key] = value

    def pop(self, key: K) -> None:
        with self._lock:
            self._cache.pop(key, None)
