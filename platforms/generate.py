"""Helpers for tasks' data generators: fast, deterministic bulk data (standard library only)."""
import functools
import gc
from collections.abc import Sequence
from typing import Any, Callable, TypeVar

# A Mersenne prime: with a keyed square modulo it, SQLite can make pseudo-random columns itself.
PRIME = 2_147_483_647
T = TypeVar("T")


def sql_mix(expr: str, salt: int) -> str:
    """SQL for a pseudo-random integer in [0, 2^31) from an integer expression (a keyed square modulo a
    prime): generating the rows inside SQLite keeps growth tiers fast."""
    inner = f"((({expr}) * 48271 + {salt}) % {PRIME})"
    return f"({inner} * {inner} % {PRIME})"


def without_gc(build: Callable[..., T]) -> Callable[..., T]:
    """Run a world builder with the cyclic garbage collector paused: hundreds of thousands of small objects
    would only make it walk them again and again."""
    @functools.wraps(build)
    def wrapper(*args, **kwargs) -> T:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()
    return wrapper


class GeneratedRequests(Sequence):
    """A world's requests made one at a time, when the driver sends them: `make(index)` must be deterministic.
    For long streams (each request a chunk of events) that would not fit in memory twice if built up front."""

    def __init__(self, count: int, make: Callable[[int], Any]):
        self.count, self.make = count, make

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.count))]
        if not -self.count <= index < self.count:
            raise IndexError(index)
        return self.make(index % self.count)
