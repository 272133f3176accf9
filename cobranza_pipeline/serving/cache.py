"""A small in-process cache with a time to live, for the scout KPIs (60 s by default).

Answers are cached per set of filters; errors are never cached. The clock is injectable so a
test can expire entries without waiting. Like the old backend's cache it is per process and
not invalidated by an MV refresh: an answer is at most ttl_s old.
"""

import threading
import time
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

T = TypeVar("T")


class TTLCache:
    def __init__(self, ttl_s: float = 60.0, max_entries: int = 256, clock: Callable[[], float] = time.monotonic):
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self.clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for key if younger than ttl_s, else compute() (outside the lock:
        a slow query does not block hits on other keys) and remember it."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > self.clock():
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[1]
            self.misses += 1
        value = compute()
        with self._lock:
            self._entries[key] = (self.clock() + self.ttl_s, value)
            self._entries.move_to_end(key)
            self._evict()
        return value

    def _evict(self) -> None:
        if len(self._entries) <= self.max_entries:
            return
        now = self.clock()
        for key in [k for k, (expires, _) in self._entries.items() if expires <= now]:
            del self._entries[key]
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)  # least recently used

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
